/* Resource library, progressive enhancement only: the filter form works without this file.
   With JavaScript, ticking a filter or changing the sort applies it straight away (the form says so
   beforehand), and keyboard focus returns to the control the visitor changed. */
(function () {
    "use strict";
    var form = document.querySelector("[data-library-filters]");
    if (!form) { return; }
    var hint = form.querySelector("[data-auto-apply-hint]");
    if (hint) { hint.hidden = false; }
    var key = "resources:last-filter";
    try {
        var last = window.sessionStorage.getItem(key);
        window.sessionStorage.removeItem(key);
        var control = last && document.getElementById(last);
        if (control) { control.focus(); }
    } catch (error) { /* storage blocked: focus stays at the top, as without JavaScript */ }
    form.addEventListener("change", function (event) {
        var target = event.target;
        if (target.type !== "checkbox" && target.tagName !== "SELECT") { return; }
        try { window.sessionStorage.setItem(key, target.id); } catch (error) { /* ignore */ }
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
}());
