// xlreport serve: the few behaviours the pages need beyond htmx (no inline script: the
// pages' content security policy allows only this server's own files).
(function () {
  "use strict";

  // A "复制" button copies the text of the element named in data-copy.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      var before = button.textContent;
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = before; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      // plain http from another machine: no clipboard API; select and copy instead
      source.focus();
      if (source.select) {
        source.select();
      }
      document.execCommand("copy");
      done();
    }
  });

  // Forms that need a confirmation say so in data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // htmx requests carry the page's CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) {
      event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });
})();
