/* Progressive enhancements only: every page works without this file. */
(function () {
    "use strict";
    document.documentElement.classList.remove("no-js");

    // The narrow-screen menu: without JavaScript "Menu" is a link that opens the panel as the :target;
    // here it becomes a button that says whether the menu is open (aria-expanded). Escape closes it.
    var menuLink = document.querySelector("[data-menu-toggle]");
    var menu = document.querySelector("[data-menu]");
    if (menuLink && menu) {
        var menuButton = document.createElement("button");
        menuButton.type = "button";
        menuButton.className = menuLink.className;
        menuButton.textContent = menuLink.textContent;
        menuButton.setAttribute("aria-controls", menu.id);
        menuLink.replaceWith(menuButton);
        menu.classList.add("site-menu--enhanced");
        var closeLink = menu.querySelector("[data-menu-close]");
        if (closeLink) { closeLink.remove(); }
        var setMenuOpen = function (open) {
            menuButton.setAttribute("aria-expanded", open ? "true" : "false");
            menu.classList.toggle("site-menu--open", open);
        };
        setMenuOpen(window.location.hash === "#" + menu.id);
        menuButton.addEventListener("click", function () {
            setMenuOpen(menuButton.getAttribute("aria-expanded") !== "true");
        });
        document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true" && menuButton.offsetParent !== null) {
                setMenuOpen(false);
                menuButton.focus();
            }
        });
    }

    // Move focus to the error summary so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Privacy-friendly video: nothing loads from the provider until the visitor chooses to play. Without this
    // script the only control is the link to watch on the provider's site; with it, a "Play video" button plays
    // it here and the link stays beside it, for those who prefer the provider's own player.
    document.querySelectorAll("[data-video]").forEach(function (figure) {
        var button = figure.querySelector("[data-video-play]");
        var watch = figure.querySelector("[data-video-watch]");
        var placeholder = figure.querySelector("[data-video-placeholder]");
        if (!button || !placeholder) { return; }
        button.hidden = false;
        var notice = figure.querySelector("[data-video-play-notice]");
        if (notice) { notice.hidden = false; }
        if (watch) { watch.classList.add("button--secondary"); }
        button.addEventListener("click", function () {
            var frame = document.createElement("div");
            frame.className = "video__frame";
            var iframe = document.createElement("iframe");
            var embedUrl = figure.getAttribute("data-embed-url");
            iframe.src = embedUrl + (embedUrl.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
            iframe.title = figure.getAttribute("data-title") || "Video";
            iframe.allow = "autoplay; fullscreen; picture-in-picture";
            iframe.setAttribute("allowfullscreen", "");
            frame.appendChild(iframe);
            placeholder.replaceWith(frame);
            if (watch) {
                var watchParagraph = document.createElement("p");
                watchParagraph.className = "video__watch";
                watch.classList.remove("button", "button--secondary");
                watchParagraph.appendChild(watch);
                frame.after(watchParagraph);
            }
            iframe.focus();
        });
    });
}());
