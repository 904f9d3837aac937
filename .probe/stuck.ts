import { movePlayer, Buttons } from '../protocol/index.js';
const map = { width: 1200, height: 900, walls: [ {x:600.01,y:399.99,w:40,h:300} ] };
let p = { x: 700, y: 500 };
for (let i = 0; i < 20; i++) p = movePlayer(p, Buttons.Left, 1/30, map);
console.log('after left', p);
const q = movePlayer(p, Buttons.Up, 1/30, map); console.log('up', q);
const q2 = movePlayer(p, Buttons.Down, 1/30, map); console.log('down', q2);
