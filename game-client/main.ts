/** Browser entry: styles, then the app on #app. */
import './styles.css';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) new App(root);
