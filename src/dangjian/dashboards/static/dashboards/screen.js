/* The big screen refreshes itself: every data-every seconds it fetches the JSON the page was built from. */
(function () {
  "use strict";
  var body = document.body, every = (parseInt(body.dataset.every, 10) || 60) * 1000;
  function text(el, value) { if (el) { el.textContent = value; } }
  function list(id, items, render, empty) {
    var ul = document.getElementById(id);
    if (!ul) { return; }
    ul.replaceChildren();
    if (!items.length) { var li = document.createElement("li"); li.textContent = empty; ul.appendChild(li); return; }
    items.forEach(function (item) { ul.appendChild(render(item)); });
  }
  function apply(data) {
    body.classList.remove("stale");
    Object.keys(data.counters).forEach(function (k) { text(document.querySelector('[data-counter="' + k + '"]'), data.counters[k]); });
    ["received", "resolved", "open"].forEach(function (k) { text(document.querySelector('[data-appeals="' + k + '"]'), data.appeals[k]); });
    Object.keys(data.charts).forEach(function (k) { window.dashCharts.update(k, data.charts[k]); });
    var warnEmpty = document.getElementById("screen-warnings").dataset.empty || "";
    list("screen-warnings", data.warnings, function (w) {
      var li = document.createElement("li"), b = document.createElement("b");
      li.className = w.severity; b.textContent = w.org; li.appendChild(b); li.appendChild(document.createTextNode(" " + w.detail));
      return li;
    }, warnEmpty);
    list("screen-appeals", data.appeals.latest, function (a) {
      var li = document.createElement("li"); li.textContent = a.at + " · " + a.category + " · " + a.state; return li;
    }, document.getElementById("screen-appeals").dataset.empty || "");
    text(document.getElementById("screen-time"), data.generated_at);
    text(document.getElementById("screen-period"), data.period);
    tick();
  }
  // The warnings ticker scrolls only when its list is longer than the panel: the list is doubled so it loops.
  function tick() {
    var ul = document.getElementById("screen-warnings"), box = ul && ul.parentElement;
    if (!box) { return; }
    ul.classList.remove("scrolling");
    ul.querySelectorAll("li.copy").forEach(function (li) { li.remove(); });
    if (ul.scrollHeight <= box.clientHeight) { return; }
    Array.prototype.slice.call(ul.children).forEach(function (li) {
      var copy = li.cloneNode(true); copy.classList.add("copy"); copy.setAttribute("aria-hidden", "true"); ul.appendChild(copy);
    });
    ul.classList.add("scrolling");
  }
  function refresh() {
    fetch(body.dataset.source, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(apply)
      .catch(function () { body.classList.add("stale"); })
      .finally(function () { setTimeout(refresh, every); });
  }
  window.addEventListener("load", tick);
  setTimeout(refresh, every);
})();
