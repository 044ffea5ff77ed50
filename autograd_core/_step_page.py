"""The step view's page: its style, its script (the slider, the keys, the
zoom, each step's texts written into the one drawing) and the HTML around
them. ``steps.py`` fills in the drawing and the steps' data."""
from .render import _CURRENT, _SHARE_EDGE

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1em; color: #111827; }
.controls { display: flex; flex-wrap: wrap; gap: .6em; align-items: center; margin: .6em 0; }
.controls input[type=range] { width: 24em; }
.controls button { font-size: 1em; min-width: 2.2em; }
#caption { font-weight: 600; }
.legend { font-size: .9em; color: #374151; margin: .3em 0; }
.legend code, .formula code { background: #f3f4f6; padding: 0 .25em; border-radius: 3px; }
.viewport { overflow: auto; max-height: max(14em, calc(100vh - 17em)); border: 1px solid #d1d5db; border-radius: 4px;
            cursor: grab; background: white; }
.viewport svg { display: block; }
.formula { margin-top: .6em; font-size: 1.05em; }
.formula ul { margin: .3em 0; }
""" + f"""
g.current ellipse {{ fill: {_CURRENT["fillcolor"]}; stroke: {_CURRENT["color"]}; stroke-width: {_CURRENT["penwidth"]}; }}
g.share path {{ stroke: {_SHARE_EDGE["color"]}; stroke-width: {_SHARE_EDGE["penwidth"]}; }}
g.share polygon {{ fill: {_SHARE_EDGE["color"]}; stroke: {_SHARE_EDGE["color"]}; }}
g.share text {{ fill: {_SHARE_EDGE["color"]}; font-weight: 600; }}
g.fresh text:last-of-type {{ fill: {_SHARE_EDGE["color"]}; font-weight: 600; }}
"""

_SCRIPT = r"""
const data = JSON.parse(document.getElementById('steps-data').textContent);
const svg = document.querySelector('.viewport svg');
const slider = document.getElementById('step');
const W = parseFloat(svg.getAttribute('width')), H = parseFloat(svg.getAttribute('height'));
let zoom = 1, at = 0;
const port = document.querySelector('.viewport');
function reveal(el) {      // centre el in the viewport; scrolls the viewport only, never the page
  const p = port.getBoundingClientRect(), b = el.getBoundingClientRect();
  port.scrollLeft += (b.left + b.width / 2) - (p.left + p.width / 2);
  port.scrollTop += (b.top + b.height / 2) - (p.top + p.height / 2);
}
function gradField(id) { const t = svg.querySelectorAll('#' + id + ' text'); return t[t.length - 1]; }
function edgeLabel(id) { return svg.querySelector('#' + id + ' text'); }
function setZoom(z) {
  zoom = Math.max(0.25, Math.min(4, z));
  svg.setAttribute('width', (W * zoom) + 'pt'); svg.setAttribute('height', (H * zoom) + 'pt');
  document.getElementById('zoomlevel').textContent = Math.round(zoom * 100) + '%';
}
function show(i) {
  at = Math.max(0, Math.min(data.steps.length - 1, i));
  const s = data.steps[at];
  svg.querySelectorAll('.current, .share, .fresh').forEach(g => g.classList.remove('current', 'share', 'fresh'));
  for (const [id, text] of Object.entries(data.grad_base)) gradField(id).textContent = text;
  for (let k = 0; k <= at; k++)        // each step lists only the grad texts it changes
    for (const [id, text] of Object.entries(data.steps[k].grads)) gradField(id).textContent = text;
  for (const [id, text] of Object.entries(data.edge_base)) {
    const t = edgeLabel(id); if (t) t.textContent = (id in s.edges) ? s.edges[id] : text;
  }
  for (const id of Object.keys(s.edges)) svg.querySelector('#' + id).classList.add('share');
  for (const id of s.fresh) svg.querySelector('#' + id).classList.add('fresh');
  svg.querySelector('#' + s.gate).classList.add('current');
  slider.value = at;
  reveal(svg.querySelector('#' + s.gate));
  document.getElementById('caption').textContent =
    'step ' + (at + 1) + ' of ' + data.steps.length + ': ' + s.name;
  const f = document.getElementById('formula');
  f.innerHTML = '';
  const head = document.createElement('div');
  head.innerHTML = '<b>' + s.name + '</b>: <code></code>';
  head.querySelector('code').textContent = s.formula;
  f.appendChild(head);
  const ul = document.createElement('ul');
  for (const line of s.lines) { const li = document.createElement('li'); li.textContent = line; ul.appendChild(li); }
  f.appendChild(ul);
}
slider.addEventListener('input', () => show(+slider.value));
document.getElementById('prev').onclick = () => show(at - 1);
document.getElementById('next').onclick = () => show(at + 1);
document.getElementById('zoomout').onclick = () => setZoom(zoom / 1.25);
document.getElementById('zoomin').onclick = () => setZoom(zoom * 1.25);
document.getElementById('zoomlevel').onclick = () => setZoom(1);
document.addEventListener('keydown', e => {
  if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') { e.preventDefault(); show(at - 1); }
  if (e.key === 'ArrowRight' || e.key === 'ArrowUp') { e.preventDefault(); show(at + 1); }
  if (e.key === 'Home') { e.preventDefault(); show(0); }
  if (e.key === 'End') { e.preventDefault(); show(data.steps.length - 1); }
});
let drag = null;
port.addEventListener('pointerdown', e => { drag = [e.clientX, e.clientY, port.scrollLeft, port.scrollTop]; });
port.addEventListener('pointermove', e => {
  if (drag) { port.scrollLeft = drag[2] - (e.clientX - drag[0]); port.scrollTop = drag[3] - (e.clientY - drag[1]); }
});
window.addEventListener('pointerup', () => { drag = null; });
setZoom(1);
// what the browser really drew, for tests: screen pixels per SVG unit and the smallest text in pixels
const box = svg.viewBox.baseVal, sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')));
const scale = svg.getBoundingClientRect().width / box.width;
document.body.dataset.scale = scale.toFixed(3);
document.body.dataset.smallestTextPx = (Math.min(...sizes) * scale).toFixed(1);
const start = /step=(\d+)/.exec(location.hash);          // page.html#step=5 opens at step 5
show(start ? +start[1] - 1 : 0);
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{style}</style></head><body>
<h2>{title}</h2>
<div class="legend">Each step applies one gate (orange) backwards. On its input edges,
<code>upstream * local = share</code>: the gradient arriving at the gate's output, times the
gate's local derivative for that input, is the share that input receives. A value used twice
adds its shares: <code>grad 1 + 6 = 7</code>. Red: what this step changed; <code>grad ?</code>:
not known yet. Arrow keys step, drag or scroll to pan.</div>
<div class="controls">
<button id="prev" title="previous step (left arrow)">&#9664;</button>
<input type="range" id="step" min="0" max="{last}" value="0" aria-label="step">
<button id="next" title="next step (right arrow)">&#9654;</button>
<span id="caption"></span>
<span style="margin-left:auto">zoom <button id="zoomout">&minus;</button>
<button id="zoomlevel" title="back to 100%">100%</button> <button id="zoomin">+</button></span>
</div>
<div class="viewport">{svg}</div>
<div class="formula" id="formula"></div>
<script type="application/json" id="steps-data">{data}</script>
<script>{script}</script>
</body></html>
"""
