// Drastic buttons (templates/_macros/confirm.html) ask first. Without script such a button opens
// a confirmation page; with it, the button opens the <dialog> that carries the same confirm
// form. The dialog is modal: focus moves into it (to "Terug", the safe choice), Escape closes
// it, and focus returns to the button that opened it.
(function () {
  var opener = null;

  function openDialog(button, dialog) {
    opener = button;
    dialog.querySelectorAll("[data-copy-from]").forEach(function (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy-from"));
      copy.textContent = source ? source.textContent.trim() : "";
      copy.hidden = !copy.textContent;
    });
    dialog.showModal();
    var safe = dialog.querySelector("[data-dialog-close]");
    if (safe) {
      safe.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button) {
      var dialog = document.getElementById(button.getAttribute("data-confirm"));
      if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
        event.preventDefault();
        openDialog(button, dialog);
      }
      return;
    }
    var close = event.target.closest("[data-dialog-close]");
    if (close) {
      var own = close.closest("dialog");
      if (own) {
        own.close();
      }
    }
  });

  // "close" does not bubble: listen while it goes down.
  document.addEventListener(
    "close",
    function (event) {
      if (event.target.tagName !== "DIALOG" || !opener) {
        return;
      }
      var back = opener;
      opener = null;
      if (document.contains(back)) {
        back.focus();
      }
    },
    true
  );
})();
