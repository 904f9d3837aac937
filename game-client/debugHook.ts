/**
 * `window.__tickwire`: read-only state of the page for the end-to-end tests (and for curious
 * players in the console). Only getters and copies: nothing here changes the game.
 */
import type { GameScreen } from './gameScreen.js';
import type { LobbyController } from './lobbyController.js';
import type { MatchController } from './matchController.js';
import type { Overlay } from './ui/overlay.js';
import type { Toasts } from './ui/toasts.js';

export interface DebugSources {
  screen(): string;
  userId(): string | null;
  match: MatchController;
  game: GameScreen;
  lobby: LobbyController;
  overlay: Overlay;
  toasts: Toasts;
}

export function installDebugHook(d: DebugSources): void {
  const { match, game, lobby, overlay, toasts } = d;
  (window as unknown as { __tickwire: unknown }).__tickwire = {
    get screen() {
      return d.screen();
    },
    get userId() {
      return d.userId();
    },
    get matchId() {
      return match.session?.matchId ?? null;
    },
    get playerId() {
      return match.session?.playerId ?? null;
    },
    get connection() {
      return match.connection?.state ?? null;
    },
    get reconnects() {
      return match.connection?.reconnects ?? 0;
    },
    /** Link health: ok, unstable (badge shown, inputs held) or lost (reconnecting). */
    get link() {
      return match.connection?.linkState ?? null;
    },
    /** Times the "connection unstable" badge was shown on this page. */
    get linkIndicatorShown() {
      return game.linkIndicator.shown;
    },
    get overlay() {
      return overlay.kind;
    },
    get renderer() {
      return game.scene?.rendererName ?? null;
    },
    get frames() {
      return game.scene?.frames ?? 0;
    },
    /** Ids of the players the last drawn frame showed. */
    drawnPlayers() {
      return game.scene?.drawnPlayerIds() ?? [];
    },
    get spectating() {
      return match.spectating;
    },
    get privateCode() {
      return match.privateCode;
    },
    /** Input frames sent in this session (a spectator's stays 0). */
    get inputsSent() {
      return match.session?.inputSeq ?? 0;
    },
    /** The own player: authoritative (last snapshot) and predicted positions. */
    self() {
      const s = match.session?.selfState;
      const p = match.session?.predictor?.position;
      return s ? { ...s, predicted: p ? { ...p } : null } : null;
    },
    stats() {
      return match.session?.netStats() ?? null;
    },
    scoreboard() {
      return match.session?.scoreboard() ?? [];
    },
    /** Everyone in the match (from the roster): id, name, bot. */
    roster() {
      return [...(match.session?.roster.values() ?? [])].map((r) => ({ ...r }));
    },
    /** Players in the latest snapshot, with names: who is actually on the field. */
    playersSeen() {
      return match.session?.scoreboard().map((r) => ({ id: r.id, name: r.name, bot: r.bot })) ?? [];
    },
    lobby() {
      return {
        state: lobby.state,
        online: lobby.online,
        matches: lobby.matches,
        chat: lobby.chat.lines(),
      };
    },
    toasts() {
      return toasts.visible().map((t) => ({ id: t.id, kind: t.kind, text: t.text, action: t.actionLabel, data: t.data }));
    },
    camera() {
      return { mode: game.camera.mode.kind, follow: game.camera.followedId, x: game.camera.x, y: game.camera.y };
    },
    /** Hit markers, damage numbers, flashes, sound, settings, touch, minimap, match chat. */
    feel() {
      return game.feel.debug();
    },
    /** Players of the latest frame: id, position in the world and on the screen, alive. */
    players() {
      const scene = game.scene;
      return (game.lastView?.players ?? []).map((p) => ({ id: p.id, name: p.name, self: p.self, alive: p.alive, x: p.x, y: p.y, screen: scene ? scene.toScreen(p.x, p.y) : null }));
    },
  };
}
