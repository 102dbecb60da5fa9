/* Starts Swagger UI on /api/docs with the settings the page holds in #swagger-settings (JSON).
 * A signed-in user's requests ("Try it out") carry the session's CSRF token, which the page
 * holds in <body data-csrf-token>, as the session-authenticated API asks for it. */
(function () {
  "use strict";
  function start() {
    var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
    var token = document.body.getAttribute("data-csrf-token");
    settings.dom_id = "#swagger-ui";
    settings.presets = [SwaggerUIBundle.presets.apis];
    if (token) {
      settings.requestInterceptor = function (request) {
        request.headers["X-CSRFToken"] = token;
        return request;
      };
    }
    SwaggerUIBundle(settings);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
