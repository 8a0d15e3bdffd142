/* The community board, progressively enhanced: likes without a reload, and new posts appearing without one.
   Without JavaScript the like forms post normally and the page shows new posts when reloaded. */
(function () {
    "use strict";

    function csrfToken(form) {
        var input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches || !form.matches("[data-board-like]") || !window.fetch) { return; }
        event.preventDefault();
        var button = form.querySelector("button");
        fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            credentials: "same-origin",
            headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
        }).then(function (response) {
            if (!response.ok) { throw new Error("like failed"); }
            return response.json();
        }).then(function (data) {
            button.setAttribute("aria-pressed", data.liked ? "true" : "false");
            form.querySelector("[data-like-label]").textContent = data.liked ? "Liked" : "Like";
            form.querySelector("[data-like-count]").textContent = data.count;
        }).catch(function () { form.submit(); });
    });

    var container = document.querySelector("[data-board-poll]");
    if (!container || !window.fetch) { return; }
    var status = document.querySelector("[data-board-status]");
    var since = container.getAttribute("data-since");
    var url = container.getAttribute("data-board-poll");
    var delay = 30000;

    function addPost(item) {
        if (document.getElementById("post-" + item.id)) { return false; }
        var list = container.querySelector('[data-section-list="' + item.section + '"]') ||
            container.querySelector('[data-section-list="*"]');
        if (!list) { return false; }
        var li = document.createElement("li");
        li.innerHTML = item.html;
        var card = li.querySelector(".board-post");
        if (card) { card.classList.add("board-post--new"); }
        list.insertBefore(li, list.firstChild);
        var empty = list.parentNode.querySelector(".empty-state");
        if (empty) { empty.remove(); }
        return true;
    }

    function poll() {
        if (document.hidden) { return schedule(); }
        fetch(url + "?since=" + encodeURIComponent(since), { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (!data) { delay = Math.min(delay * 2, 300000); return; }
                delay = 30000;
                since = data.now;
                var added = data.posts.filter(addPost).length;
                if (added && status) {
                    status.textContent = added === 1 ? "1 new post added to the board." : added + " new posts added to the board.";
                }
            })
            .catch(function () { delay = Math.min(delay * 2, 300000); })
            .then(schedule);
    }

    var timer = null;
    function schedule() { window.clearTimeout(timer); timer = window.setTimeout(poll, delay); }
    // Other scripts (and tests) can ask for a check now rather than in 30 seconds.
    window.addEventListener("board:poll", function () { window.clearTimeout(timer); poll(); });
    schedule();
}());
