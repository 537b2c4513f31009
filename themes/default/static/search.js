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
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
