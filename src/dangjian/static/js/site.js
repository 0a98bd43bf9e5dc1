// Behaviour every page shares, kept out of the HTML so the CSP allows no inline script.
(function () {
  // One menu group open at a time; a click elsewhere closes it.
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details.navgroup[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute("open");
    });
    var printer = e.target.closest && e.target.closest("[data-print]");
    if (printer) window.print();
    var back = e.target.closest && e.target.closest("[data-back]");
    if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });
  // <select data-autosubmit>: choosing sends its form.
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
  });
  // Lists written by hand get the labels list_page.html writes (phones show rows as cards, style in app.css):
  // each cell is labelled with its column's header, and the header row is marked to hide.
  document.querySelectorAll("table.list").forEach(function (table) {
    var head = table.tHead ? table.tHead.rows[0] : table.rows[0];
    if (!head || head.querySelector("td")) return;
    if (!table.tHead) head.classList.add("head");
    var labels = Array.prototype.map.call(head.cells, function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.rows, function (row) {
      if (row === head) return;
      var i = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && cell.colSpan === 1) cell.setAttribute("data-label", labels[i] || "");
        i += cell.colSpan;
      });
    });
  });
})();
