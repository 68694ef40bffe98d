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
  // An answer to a button (a choice, a vote cast) is always shown; its tag keeps the next poll
  // from replacing it with the same state. Only the polled element itself polls.
  var config = event.detail.requestConfig;
  var polled = config && config.verb === "get" && config.elt === target;
  if (polled && tag === target.getAttribute("data-live-tag")) {
    event.detail.shouldSwap = false;
  } else if (polled && holds(target, xhr.responseText)) {
    // A member confirming a choice keeps the confirm step while the round is still offered
    // (other members' votes change the tag); a closed round or a vote recorded elsewhere
    // replaces it.
    event.detail.shouldSwap = false;
  } else {
    target.setAttribute("data-live-tag", tag);
  }
});

function holds(target, html) {
  var hold = target.querySelector("[data-vote-hold]");
  if (!hold || !html) {
    return false;
  }
  return html.indexOf('data-vote-offer="' + hold.getAttribute("data-vote-hold") + '"') !== -1;
}

// A swap that removes the focused element (the vote button of a round that just closed, the
// panel answering a vote with an error) would leave focus on the page body, and a keyboard or
// screen reader user at the top of the page. Focus moves instead to what the new content
// offers: an element marked autofocus, else its error, else its first heading (these carry
// tabindex="-1"). A swap elsewhere on the page never takes focus away from where it is.
var focusInside = null;

document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (!target) {
    focusInside = null;
    return;
  }
  var active = document.activeElement;
  var lost = !active || active === document.body;
  // A button inside the target that sent the request was disabled meanwhile (hx-disabled-elt),
  // which already dropped its focus to the body.
  var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
  var sentFromInside = elt && elt !== target && target.contains(elt);
  focusInside = (!lost && target.contains(active)) || (lost && sentFromInside) ? target : null;
});

document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  if (!target || target !== focusInside) {
    return;
  }
  focusInside = null;
  var active = document.activeElement;
  if (active && active !== document.body && document.contains(active)) {
    return; // still focused, or htmx has focused the new content itself
  }
  var next =
    target.querySelector("[autofocus]") ||
    target.querySelector("[role='alert'][tabindex]") ||
    target.querySelector("h1[tabindex], h2[tabindex], h3[tabindex]");
  if (next) {
    next.focus();
  }
});
