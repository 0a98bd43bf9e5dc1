// Org tree and roster pages: small progressive enhancements only.
(function () {
  "use strict";
  // On a phone the tree starts folded so the page content comes first.
  var box = document.getElementById("org-tree-box");
  if (box && window.matchMedia("(max-width: 760px)").matches) {
    box.removeAttribute("open");
  }

  // Birth date and gender follow from a complete, well-formed ID number (GB 11643).
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";
  function parse(value) {
    var v = value.replace(/\s+/g, "").toUpperCase();
    if (!/^\d{17}[\dX]$/.test(v)) return null;
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(v[i]) * WEIGHTS[i];
    if (CHECK[sum % 11] !== v[17]) return null;
    return {
      birth: v.slice(6, 10) + "-" + v.slice(10, 12) + "-" + v.slice(12, 14),
      gender: Number(v[16]) % 2 === 1 ? "M" : "F",
    };
  }
  document.querySelectorAll("input[data-id-number]").forEach(function (input) {
    input.addEventListener("input", function () {
      var parsed = parse(input.value);
      if (!parsed) return;
      var birth = input.form.querySelector("[name=birth_date]");
      var gender = input.form.querySelector("[name=gender]");
      if (birth) birth.value = parsed.birth;
      if (gender) gender.value = parsed.gender;
    });
  });
})();
