// hitpm page behaviour: copy buttons, closing menus, and telling the user when a fragment fails.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.value).then(function () {
          copy.textContent = "Copied";
        });
      } else if (source) {
        source.select();
      }
    }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("messages");
    if (!box) {
      return;
    }
    var status = event.detail.xhr.status;
    var text = status === 403
      ? "Your role does not allow this change."
      : status === 404
        ? "That item no longer exists. Reload the page."
        : "The change could not be made (error " + status + "). Reload the page and try again.";
    var message = document.createElement("p");
    message.className = "message message-error";
    message.textContent = text;
    box.replaceChildren(message);
  });
})();
