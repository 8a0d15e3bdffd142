/* The community board, progressively enhanced: likes without leaving the page, and new posts appearing without a
   reload. The like button is a GET form to the post's small "Like this post?" page, so the board itself holds no
   CSRF token and can be served from the page cache. Here the script fetches that page (which sets the CSRF cookie),
   takes the token from its form, and posts the like itself. Without JavaScript, or if anything here fails, the
   form is submitted as it is: the visitor lands on that page and likes it there (two steps, keyboard included). */
(function () {
    "use strict";

    var token = null;  // the CSRF token of this browser's cookie, once a like page has given us one

    function fetchToken(form) {
        if (token) { return Promise.resolve(token); }
        return fetch(form.action, { credentials: "same-origin", headers: { "Accept": "text/html" } })
            .then(function (response) {
                if (!response.ok) { throw new Error("like page failed"); }
                return response.text();
            })
            .then(function (html) {
                var page = new DOMParser().parseFromString(html, "text/html");
                var input = page.querySelector("[data-board-like-confirm] input[name=csrfmiddlewaretoken]");
                if (!input || !input.value) { throw new Error("no token"); }
                token = input.value;
                return token;
            });
    }

    function like(form, csrf) {
        var body = new FormData(form);
        body.append("csrfmiddlewaretoken", csrf);
        return fetch(form.action, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "Accept": "application/json", "X-CSRFToken": csrf }
        }).then(function (response) {
            if (!response.ok) { throw new Error("like failed"); }
            return response.json();
        });
    }

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches || !form.matches("[data-board-like]") || !window.fetch || !window.DOMParser) { return; }
        event.preventDefault();
        if (form.getAttribute("aria-busy") === "true") { return; }
        form.setAttribute("aria-busy", "true");
        var button = form.querySelector("button");
        fetchToken(form).then(function (csrf) { return like(form, csrf); }).then(function (data) {
            form.removeAttribute("aria-busy");
            button.setAttribute("aria-pressed", data.liked ? "true" : "false");
            form.querySelector("[data-like-label]").textContent = data.liked ? "Liked" : "Like";
            form.querySelector("[data-like-count]").textContent = data.count;
            // The words a screen reader hears after the number: "1 like", "2 likes" (the server says which).
            var unit = form.querySelector("[data-like-unit]");
            if (unit && data.count_unit) { unit.textContent = " " + data.count_unit; }
        }).catch(function () {
            // Whatever went wrong (offline, an expired token, the rate limit), the two-step page still works.
            token = null;
            form.removeAttribute("aria-busy");
            form.submit();
        });
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
