// Starts the search box on /search/ and runs the query given as ?q=.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    // Show each result's date and summary (text, so escaped here) under its title.
    processResult: function (result) {
      var escape = function (text) {
        var span = document.createElement("span");
        span.textContent = text || "";
        return span.innerHTML;
      };
      var date = result.meta && result.meta.date;
      var summary = result.meta && result.meta.summary;
      if (date || summary) {
        result.excerpt = "<strong>" + escape(date) + "</strong> · " + escape(summary);
      }
      return result;
    },
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
