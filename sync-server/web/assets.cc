// The dashboard's only stylesheet and script, compiled in: nothing is fetched from
// the internet, so the pages work on a district LAN without it. System fonts only
// (every Windows and Linux office PC has fonts with Vietnamese diacritics).
#include "web/web.h"

namespace sotay::server::web {

const char* const kStylesheet = R"css(
:root { --ink:#1d2733; --muted:#5b6673; --line:#d5dbe1; --accent:#0b5cad; --warn:#a15c00; --bad:#b3261e; --ok:#1e7a34; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; color:var(--ink); background:#f6f7f9; }
header.top { display:flex; align-items:center; gap:1.2em; padding:.5em 1.2em; background:#12365c; color:#fff; flex-wrap:wrap; }
header.top a { color:#fff; text-decoration:none; }
header.top .brand { font-weight:700; font-size:1.15em; }
header.top nav { display:flex; gap:.2em; flex-wrap:wrap; }
header.top nav a { padding:.35em .7em; border-radius:4px; }
header.top nav a.on, header.top nav a:hover { background:rgba(255,255,255,.18); }
header.top .who { margin-left:auto; display:flex; gap:.8em; align-items:center; }
header.top .who form { margin:0; }
header.top button.link { color:#fff; }
header.top .menu { display:none; margin-left:auto; position:relative; }
header.top .menu summary { cursor:pointer; padding:.3em .8em; border:1px solid rgba(255,255,255,.6); border-radius:4px; list-style:none; }
header.top .menu summary::-webkit-details-marker { display:none; }
header.top .menu summary::before { content:"\2630  "; }
header.top .menu .drop { position:absolute; right:0; top:2.3em; z-index:10; width:min(18em, calc(100vw - 1.6em)); background:#12365c;
  padding:.6em; display:flex; flex-direction:column; gap:.6em; box-shadow:0 4px 12px rgba(0,0,0,.3); }
header.top .menu nav { flex-direction:column; }
header.top .menu .who { margin-left:0; flex-wrap:wrap; border-top:1px solid rgba(255,255,255,.3); padding-top:.5em; }
main { max-width:1200px; margin:1em auto; padding:0 1.2em 3em; overflow-wrap:break-word; }
div.scroll { overflow-x:auto; max-width:100%; }
svg, img { max-width:100%; height:auto; }
ul.files img { display:block; max-width:min(100%, 20rem); max-height:20rem; width:auto; height:auto; margin:.3rem 0; } /* a verified image on a record, bounded */
p.deadline { background:#fff; border:2px solid; border-left-width:10px; padding:.6em 1em; font-size:1.05em; }
p.deadline.late { color:var(--bad); background:#fde8e7; }
p.deadline.soon { color:var(--warn); background:#fff4e0; }
table.list.due tr.late td:first-child { border-left:5px solid var(--bad); }
table.list.due tr.soon td:first-child { border-left:5px dashed var(--warn); }
table.list.due tr.late .due-status { color:var(--bad); }
table.list.due tr.soon .due-status { color:var(--warn); }
table.answers tr.empty td { color:var(--muted); font-style:italic; }
/* A phone (360 px): one header row with a menu, tables scroll in their own box,
   and the page itself never scrolls sideways. */
@media (max-width: 760px) {
  header.top { flex-wrap:nowrap; gap:.6em; padding:.4em .8em; }
  header.top .wide { display:none; }
  header.top .menu { display:block; }
  main { padding:0 .6em 2em; }
  /* "main" outranks the page rules written after this block. */
  main table.list, main table.answers, main table.history { display:block; overflow-x:auto; }
  main dl.facts { grid-template-columns:minmax(0, 1fr); }
  main dl.facts dd { margin-bottom:.4em; }
  main div.charts { grid-template-columns:minmax(0, 1fr); }
  main form.filters label, main form.filters input, main form.filters select { width:100%; }
}
h1 { font-size:1.5em; margin:.4em 0 .6em; }
h2 { font-size:1.15em; margin:1.4em 0 .5em; }
a { color:var(--accent); }
table.list, table.answers, table.history { border-collapse:collapse; width:100%; background:#fff; }
table.list th, table.list td, table.answers th, table.answers td, table.history th, table.history td {
  border-bottom:1px solid var(--line); padding:.4em .6em; text-align:left; vertical-align:top; }
table.answers th { width:38%; font-weight:500; color:var(--muted); }
table.answers tr.group th { color:var(--ink); font-weight:700; background:#eef2f6; }
table.answers tr.conflict td { background:#fff4e0; }
table.history ul { margin:0; padding-left:1.1em; }
table.history tr.parallel td { background:#f1f6ff; }
.badge { display:inline-block; font-size:.8em; padding:0 .45em; border-radius:3px; margin-left:.3em; border:1px solid; }
.badge.void { color:var(--muted); }
.badge.conflict { color:var(--warn); }
.badge.parallel { color:var(--accent); }
form.filters { display:flex; flex-wrap:wrap; gap:.6em 1em; align-items:flex-end; background:#fff; padding:.8em; border:1px solid var(--line); }
form.filters label { display:flex; flex-direction:column; font-size:.9em; color:var(--muted); }
form.inline { display:inline; margin:0; }
input, select, button { font:inherit; padding:.3em .5em; }
button { cursor:pointer; }
button.link { background:none; border:none; color:var(--accent); text-decoration:underline; padding:0; }
form.login { display:flex; flex-direction:column; gap:.8em; max-width:22em; background:#fff; padding:1.2em; border:1px solid var(--line); }
form.login label { display:flex; flex-direction:column; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2em 1em; background:#fff; padding:.8em; border:1px solid var(--line); }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; }
.error { color:var(--bad); font-weight:600; }
.warn { color:var(--warn); }
.ok { color:var(--ok); font-weight:600; }
.muted { color:var(--muted); }
.count { color:var(--muted); }
.code { font: 700 1.6em monospace; letter-spacing:.1em; }
nav.pages { display:flex; gap:1em; align-items:center; margin-top:.8em; }
section.conflict-card { background:#fff; border:1px solid var(--line); padding:.4em 1em 1em; margin-bottom:1em; }
section.conflict-card .sides { display:flex; flex-wrap:wrap; gap:.8em; margin:.6em 0; }
section.conflict-card label.side { flex:1 1 14em; border:1px solid var(--line); padding:.6em; display:flex; flex-direction:column; gap:.2em; }
section.conflict-card label.side .value { font-weight:600; }
/* ---- /reports: the year report (page_reports.cc, report_view.cc) ---- */
section.report { background:#fff; border:1px solid var(--line); padding:.2em 1em 1em; margin-bottom:1.2em; }
section.report p.unit { font-style:italic; }
p.population b { font-size:1.1em; }
div.table-wrap { overflow-x:auto; max-width:100%; }
table.report-table td.rate { text-align:right; color:var(--muted); }
table.breakdown { margin-top:.6em; }
table.breakdown caption { text-align:left; font-weight:600; padding:.3em 0; }
div.breakdowns { overflow-x:auto; max-width:100%; }
div.charts { display:grid; grid-template-columns:repeat(auto-fill, minmax(min(100%, 560px), 1fr)); gap:.4em 1.5em; margin-top:1em; }
div.charts figure { margin:0; min-width:0; }
div.charts figcaption { font-weight:600; font-size:.9em; }
ol.defs { font-size:.82em; color:var(--muted); margin:1em 0 0; padding-left:1.4em; }
ol.defs li { margin:.15em 0; }
/* Drawn at its own width, scaled down (viewBox) when the box is narrower: never cut. */
svg.chart { display:block; margin:.4em 0 1em; font-size:12px; max-width:100%; height:auto; }
svg.chart rect { fill:var(--accent); }
svg.chart text { fill:var(--ink); }
svg.chart line.full { stroke:var(--line); stroke-dasharray:3 3; }
.print-only { display:none; }
@media print {
  .print-only { display:block; }
  div.print-head { text-align:center; margin-bottom:1em; }
  div.print-head p.unit-name { text-align:left; font-weight:600; text-transform:uppercase; }
  div.print-head p.national { font-weight:600; }
  div.print-head h1 { font-size:1.3em; margin:.6em 0 .2em; }
  section.report { border:none; padding:0; break-inside:auto; }
  table.report-table { break-inside:auto; font-size:.85em; }
  table.report-table tr, div.charts figure { break-inside:avoid; }
  div.table-wrap, div.breakdowns { overflow:visible; }
  div.signatures { break-inside:avoid; margin-top:2em; }
  div.signatures p.place-date { text-align:right; font-style:italic; }
  div.signatures div.signers { display:flex; justify-content:space-around; text-align:center; min-height:8em; }
}
/* ---- end of /reports ---- */
tr.broken td { background:#fde8e7; }
/* ---- The record list (/records): filters, rows, pages, export; on a phone the rows are cards ---- */
form.filters label { min-width:0; max-width:100%; }
form.filters select, form.filters input { max-width:100%; }
form.filters label.search { flex:1 1 18em; }
form.filters label.check { flex-direction:row; align-items:center; gap:.3em; }
form.filters label.age input { width:5em; }
div.list-head { display:flex; flex-wrap:wrap; gap:.4em 1.2em; align-items:baseline; margin:.6em 0 .3em; }
div.list-head p { margin:0; }
div.records-box { overflow-x:auto; }
table.records td .why { display:block; font-size:.85em; color:var(--muted); }
nav.pages a, nav.pages span, nav.pages button.link { min-width:1.6em; text-align:center; }
nav.pages { flex-wrap:wrap; gap:.5em .8em; }
nav.pages span.current { font-weight:700; border-bottom:2px solid var(--accent); }
@media (max-width: 640px) {
  form.filters { padding:.6em; }
  form.filters label { flex:1 1 45%; }
  form.filters label.search { flex-basis:100%; }
  table.records, table.records tbody { display:block; background:none; }
  table.records thead { display:none; }
  table.records tr { display:block; background:#fff; border:1px solid var(--line); margin-bottom:.6em; padding:.3em .2em; }
  table.records td { display:flex; gap:.6em; border:none; padding:.15em .5em; }
  table.records td:empty { display:none; }
  table.records td::before { content:attr(data-label); flex:0 0 7.5em; color:var(--muted); font-size:.9em; }
  table.records td:first-child { font-weight:600; flex-wrap:wrap; }
}
/* ---- end of the record list ---- */
@media print {
  header.top, .noprint, form.filters { display:none; }
  div.scroll { overflow:visible; }
  body { background:#fff; }
  main { max-width:none; margin:0; }
  section.report { border:none; }
}
)css";

const char* const kScript = R"js(
// Progressive touches only: every page works without this file.
document.addEventListener('click', function (e) {
  var t = e.target.closest('[data-print]');
  if (t) { e.preventDefault(); window.print(); }
});
document.addEventListener('submit', function (e) {
  var f = e.target.closest('form[data-confirm]');
  if (f && !window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
});
)js";

}  // namespace sotay::server::web
