/*
 * The console's only script. Two jobs, on the pages that ask for them:
 * - [data-refresh=N]: reload the page every N seconds, unless someone is typing;
 * - [data-live=URL]: a conversation held by an advisor: every 2 s, fetch its messages and
 *   delivery states, append the new ones, update the others (no reload, so a reply being
 *   typed is never lost). Text is inserted with textContent only.
 */
(function () {
  "use strict";
  var refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    setInterval(function () {
      var active = document.activeElement;
      if (!active || !/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) window.location.reload();
    }, Number(refresh.getAttribute("data-refresh")) * 1000);
  }

  var live = document.querySelector("[data-live]");
  if (!live) return;
  var thread = document.getElementById("thread");

  function item(message) {
    var li = document.createElement("li");
    li.className = message.author === "founder" ? "user" : "bot";
    li.setAttribute("data-id", message.id);
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.setAttribute("dir", "auto");
    if (message.author === "advisor") {
      var who = document.createElement("strong");
      who.textContent = message.staff + " : ";
      bubble.appendChild(who);
    }
    bubble.appendChild(document.createTextNode(message.text));
    var meta = document.createElement("div");
    meta.className = "nlu";
    var time = document.createElement("time");
    time.textContent = message.at;
    var delivery = document.createElement("span");
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(delivery);
    li.appendChild(bubble);
    li.appendChild(meta);
    return li;
  }

  function update(body) {
    document.getElementById("status").textContent = body.status_label;
    document.getElementById("holder").textContent = body.assigned_to || "—";
    body.messages.forEach(function (message) {
      var li = thread.querySelector('[data-id="' + message.id + '"]');
      if (!li) { li = item(message); thread.appendChild(li); }
      var delivery = li.querySelector(".nlu span.delivery") || li.querySelector(".nlu span:last-child");
      delivery.className = "delivery delivery-" + message.delivery;
      delivery.textContent = message.delivery_label + (message.error ? " (" + message.error + ")" : "");
    });
  }

  function poll() {
    fetch(live.getAttribute("data-live"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) update(body); })
      .catch(function () { /* the next round tries again */ })
      .then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
})();
