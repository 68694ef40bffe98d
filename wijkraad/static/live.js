// Live fragments (projector, voting panel, chair's console) poll every second or two. The
// server answers an unchanged poll with 304 and the browser hands htmx its kept copy as a 200:
// swapping that in again would make screen readers repeat the live summary every second. The
// polled element remembers the entity tag it shows (data-live-tag) and skips answers with that tag.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.hasAttribute("data-live-tag")) {
    return;
  }
  var xhr = event.detail.xhr;
  if (xhr.status === 304) {
    event.detail.shouldSwap = false;
    return;
  }
  var tag = xhr.getResponseHeader("ETag");
  if (!tag || xhr.status !== 200) {
    return;
  }
  // An answer to a button (a vote cast) is always shown; its tag keeps the next poll from
  // replacing it with the same state.
  var polled = event.detail.requestConfig && event.detail.requestConfig.verb === "get";
  if (polled && tag === target.getAttribute("data-live-tag")) {
    event.detail.shouldSwap = false;
  } else {
    target.setAttribute("data-live-tag", tag);
  }
});
