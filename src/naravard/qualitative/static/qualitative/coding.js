// Coding a passage: the text selected with the mouse (or keyboard) inside the text becomes
// the passage; its character offsets go to the form's hidden start/end fields.
(function () {
  "use strict";
  var body = document.getElementById("text-body");
  var form = document.getElementById("code-form");
  if (!body || !form) return;
  var start = form.querySelector("input[name=start]");
  var end = form.querySelector("input[name=end]");
  var quote = document.getElementById("selected-quote");
  var none = quote.textContent;

  function offset(node, at) {
    var range = document.createRange();
    range.selectNodeContents(body);
    range.setEnd(node, at);
    return range.toString().length;
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    var a = offset(range.startContainer, range.startOffset);
    var b = offset(range.endContainer, range.endOffset);
    var text = body.textContent.slice(a, b);
    if (!text.trim()) return;
    start.value = a;
    end.value = b;
    quote.textContent = text.length > 300 ? text.slice(0, 299) + "…" : text;
  });

  form.addEventListener("reset", function () {
    start.value = "";
    end.value = "";
    quote.textContent = none;
  });
})();
