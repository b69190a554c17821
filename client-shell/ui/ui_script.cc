// The one script of `sotay ui` (/ui.js, ui_html.h): the register's search as you
// type. A form marked data-live="ID" is posted again as the worker types or picks a
// filter (this server only, as the CSP allows; POST, so the name typed never enters
// an address), and the element ID of the answer replaces the page's own, so the list
// narrows without a page load; data-shown says which search the list shows. The
// address is left alone (a history change would read as a navigation to whoever
// waits for the Enter key's). Without the script the form's button does the same
// with a page load. No inline script, no eval; an answer older than the last one
// asked is dropped.
#include "ui_html.h"

namespace sotay::shell::ui {

const char* Script() {
  return R"js('use strict';
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-live]');
  if (!form || !window.fetch || !window.DOMParser) return;
  var target = document.getElementById(form.getAttribute('data-live'));
  if (!target) return;
  var timer = 0, asked = 0;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var mine = ++asked;
    fetch(form.getAttribute('action'), { method: 'POST', body: params, credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (html) {
      if (mine !== asked) return;
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(target.id);
      if (!fresh) return;  // locked meanwhile: the button still leads to the unlock page
      target.replaceChildren.apply(target, Array.prototype.map.call(fresh.childNodes, function (n) {
        return document.importNode(n, true);
      }));
      form.setAttribute('data-shown', params.toString());
    }).catch(function () {});
  }
  form.addEventListener('input', function (e) {
    clearTimeout(timer);
    timer = setTimeout(refresh, e.target.type === 'search' ? 150 : 0);
  });
});
)js";
}

}  // namespace sotay::shell::ui
