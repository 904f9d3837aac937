import { movePlayer, circleOverlapsRect, PLAYER_RADIUS } from '../protocol/index.js';
function mulberry32(a: number) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const map = { width: 1200, height: 900, walls: [ {x:300,y:200,w:120,h:40},{x:600,y:400,w:40,h:300},{x:800,y:100,w:200,h:200},{x:100,y:600,w:300,h:30},{x:420,y:200,w:40,h:160} ] };
let overl = 0, stuck = 0;
for (const dt of [1/30, 1/60, 1/20]) {
const rnd = mulberry32(42);
let p = { x: 200, y: 150 };
let buttons = 0;
for (let i = 0; i < 200000; i++) {
  if (rnd() < 0.05) buttons = Math.floor(rnd() * 16);
  const n = movePlayer(p, buttons, dt, map);
  for (const w of map.walls) if (circleOverlapsRect(n.x, n.y, PLAYER_RADIUS, w)) { overl++; if (overl < 10) console.log('overlap', dt, i, p, n, buttons, w); }
  p = n;
}
}
console.log('overlaps', overl);
