// Coding a passage: the text selected with the mouse (or keyboard) inside the text becomes
// the passage. Its offsets go to the form's hidden start/end fields in code points, as the
// server counts them (a JavaScript string counts UTF-16 units), with the quote itself so the
// server can check that both agree. Choosing sentences in the lists clears the selection.
(function () {
  "use strict";
  var body = document.getElementById("text-body");
  var form = document.getElementById("code-form");
  if (!body || !form) return;
  var start = form.querySelector("input[name=start]");
  var end = form.querySelector("input[name=end]");
  var quoted = form.querySelector("input[name=quote]");
  var shown = document.getElementById("selected-quote");
  var clear = document.getElementById("clear-selection");
  var nothing = shown.textContent;
  var chars = Array.from(body.textContent);

  function points(node, at) {
    var range = document.createRange();
    range.selectNodeContents(body);
    range.setEnd(node, at);
    return Array.from(range.toString()).length;
  }

  function show(a, b) {
    var text = chars.slice(a, b).join("");
    start.value = a;
    end.value = b;
    quoted.value = text;
    shown.textContent = text.length > 300 ? text.slice(0, 299) + "…" : text;
    clear.hidden = false;
  }

  function reset() {
    start.value = "";
    end.value = "";
    quoted.value = "";
    shown.textContent = nothing;
    clear.hidden = true;
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    var a = points(range.startContainer, range.startOffset);
    var b = points(range.endContainer, range.endOffset);
    if (!chars.slice(a, b).join("").trim()) return;
    show(a, b);
    form.querySelector("select[name=first]").value = "";
    form.querySelector("select[name=last]").value = "";
  });

  form.querySelectorAll("select[name=first], select[name=last]").forEach(function (list) {
    list.addEventListener("change", reset);
  });
  clear.addEventListener("click", reset);

  // after a refused save, show the selection the form still holds
  var a = parseInt(start.value, 10), b = parseInt(end.value, 10);
  if (a >= 0 && b > a && b <= chars.length) show(a, b); else reset();
})();
