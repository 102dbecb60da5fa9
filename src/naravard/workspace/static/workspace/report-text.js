// The report text editor's live preview: a moment after the analyst stops typing, the text
// is sent to the preview address and the answer (server-rendered HTML) replaces the preview.
(function () {
  "use strict";
  var form = document.getElementById("text-form");
  var target = document.getElementById("text-preview");
  if (!form || !target || !window.fetch) return;
  var area = form.querySelector("textarea");
  var timer = null;
  var sent = 0;
  function refresh() {
    var mine = ++sent;
    fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.text(); })
      .then(function (html) { if (mine === sent) target.innerHTML = html; })
      .catch(function () { /* the Förhandsgranska button still works */ });
  }
  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
})();
