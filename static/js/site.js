/* Progressive enhancements only: every page works without this file. */
(function () {
    "use strict";
    document.documentElement.classList.remove("no-js");

    // Move focus to the error summary so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Privacy-friendly video: nothing loads from the provider until the visitor chooses to play.
    document.querySelectorAll("[data-video]").forEach(function (figure) {
        var link = figure.querySelector("[data-video-play]");
        if (!link) { return; }
        link.addEventListener("click", function (event) {
            event.preventDefault();
            var frame = document.createElement("div");
            frame.className = "video__frame";
            var iframe = document.createElement("iframe");
            iframe.src = figure.getAttribute("data-embed-url") + (figure.getAttribute("data-embed-url").indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
            iframe.title = figure.getAttribute("data-title") || "Video";
            iframe.allow = "autoplay; fullscreen; picture-in-picture";
            iframe.setAttribute("allowfullscreen", "");
            frame.appendChild(iframe);
            figure.querySelector(".video__placeholder").replaceWith(frame);
            iframe.focus();
        });
    });
}());
