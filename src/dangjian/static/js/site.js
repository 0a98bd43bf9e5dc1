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
})();
