// What a stylesheet import (`import './models.css'`) is in jest: nothing. esbuild bundles the CSS
// for the browser; jsdom tests read the DOM, not the styles.
module.exports = {};
