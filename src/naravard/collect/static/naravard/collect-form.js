/* naravard – behaviour of a response form: skip logic, local autosave, adding group rows.
   The form works without this script; it only makes it friendlier. */
(function () {
  "use strict";
  var form = document.getElementById("svarsformular");
  if (!form) { return; }

  function addRow(table) {
    var rows = table.tBodies[0].rows;
    var n = rows.length + 1;
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.setAttribute("data-row", n);
    copy.cells[0].textContent = n;
    copy.querySelectorAll("input, select, textarea").forEach(function (field) {
      field.name = field.name.replace(/\.\d+\.([a-z0-9_]+)$/, "." + n + ".$1");
      var label = field.getAttribute("aria-label");
      if (label) { field.setAttribute("aria-label", label.replace(/\d+$/, n)); }
      field.value = "";
      field.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".error").forEach(function (e) { e.remove(); });
    table.tBodies[0].appendChild(copy);
    return copy;
  }

  /* Skip logic: a question with data-show-if is shown only when the controlling answer fits. */
  function currentValue(name) {
    var checked = form.querySelector('input[type=radio][name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.elements[name];
    return field && field.value !== undefined ? field.value : "";
  }
  function applySkips() {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var values = block.getAttribute("data-show-if-values").split(" ");
      var show = values.indexOf(currentValue(block.getAttribute("data-show-if"))) !== -1;
      block.hidden = !show;
      var note = block.querySelector(".skip-note");
      if (note) { note.hidden = true; }
    });
  }
  form.addEventListener("change", applySkips);
  applySkips();

  /* Local autosave: what is typed is kept in this browser until the server has it. */
  var key = form.getAttribute("data-autosave-key");
  var version = form.getAttribute("data-version");
  function snapshot() {
    var values = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "version" && typeof value === "string") {
        values.push([name, value]);
      }
    });
    return values;
  }
  var initial = JSON.stringify(snapshot());
  function restore(values) {
    values.forEach(function (pair) {  /* rows added in the page before the loss come back too */
      var m = /^(.+)\.(\d+)\.[a-z0-9_]+$/.exec(pair[0]);
      var table = m && form.querySelector('table.group[data-group="' + CSS.escape(m[1]) + '"]');
      while (table && table.tBodies[0].rows.length < Number(m[2])) { addRow(table); }
    });
    form.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
    values.forEach(function (pair) {
      var fields = form.querySelectorAll('[name="' + CSS.escape(pair[0]) + '"]');
      fields.forEach(function (field) {
        if (field.type === "radio") { field.checked = field.value === pair[1]; }
        else { field.value = pair[1]; }
      });
    });
  }
  try {
    var saved = JSON.parse(window.localStorage.getItem(key) || "null");
    if (saved && saved.version === version && JSON.stringify(saved.values) !== initial) {
      restore(saved.values);
      var note = form.querySelector(".autosave-note");
      note.hidden = false;
      note.querySelector(".discard-local").addEventListener("click", function () {
        window.localStorage.removeItem(key);
        window.location.reload();
      });
      applySkips();
    } else if (saved && saved.version !== version) {
      window.localStorage.removeItem(key);
    }
  } catch (e) { /* no storage: the form still works */ }
  function store() {
    try {
      window.localStorage.setItem(key, JSON.stringify({version: version, values: snapshot()}));
    } catch (e) { /* storage full or blocked */ }
  }
  form.addEventListener("input", store);
  form.addEventListener("change", store);

  /* Group rows: add a blank row in the page instead of a round trip. */
  form.querySelectorAll(".add-row").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var copy = addRow(button.parentNode.querySelector("table.group"));
      copy.querySelector("select, input, textarea").focus();
      event.preventDefault();
    });
  });

  /* After a failed submit, move focus to the list of problems. */
  var summary = document.getElementById("felsammanfattning");
  if (summary) { summary.focus(); }
})();
