import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './app';

const root = document.getElementById('app')!;
// Preact keeps what a container already holds: the boot message goes first.
root.textContent = '';
render(<App />, root);
