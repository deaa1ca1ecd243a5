/*
 * Sanad chat widget: one script tag puts Sanad on any page.
 *
 *   <script src="https://sanad.example.ma/widget.js" defer
 *           data-server="https://sanad.example.ma"   (default: where this script comes from)
 *           data-lang="fr"                            (fr, en, ar or ary = Darija; the founder can switch)
 *           data-title="Sanad · Technopark"
 *           data-color="#0b5cab"></script>            (text on it turns dark or light for contrast)
 *
 * Flow: a launcher button opens a chat panel. Both live in a shadow DOM, so the host page's styles
 * cannot reach them and theirs cannot reach the page. The conversation id is kept in localStorage:
 * the conversation survives a reload and follows the founder across the site's pages, its history
 * read back from the server. A message typed is shown at once, queued in localStorage and sent in
 * order; if the server cannot be reached the widget says so, retries, and sends the queue when it is
 * back: nothing typed is lost. Messages are built with textContent only: bold, links and bullet lists
 * are rendered, HTML or script in a message never is.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.sanadWidget) return;

  var LANGUAGES = ["fr", "en", "ar", "ary"];
  var LANGUAGE_NAMES = { fr: "Français", en: "English", ar: "العربية", ary: "Darija" };
  var SHORT_NAMES = { fr: "FR", en: "EN", ar: "عربي", ary: "Darija" };
  var RTL_LANGUAGES = ["ar"];
  var STRINGS = {
    fr: {
      open: "Ouvrir le chat avec Sanad",
      close: "Fermer le chat",
      subtitle: "Programmes, financement, éligibilité",
      log: "Conversation avec Sanad",
      label: "Votre message",
      placeholder: "Écrivez votre question…",
      send: "Envoyer",
      reset: "Nouvelle conversation",
      language: "Langue",
      suggestions: "Réponses suggérées",
      typing: "Sanad écrit…",
      offline: "Connexion au serveur perdue. Nouvelle tentative dans quelques secondes ; vos messages partiront dès le retour de la connexion.",
      unavailable: "Sanad est momentanément indisponible. Votre message est gardé et sera envoyé automatiquement.",
      refused: "Message non envoyé : ",
      errors: { empty: "le message est vide.", too_long: "le message est trop long (2 000 caractères au plus).", unknown_button: "ce bouton n'est plus valable.", failed: "Sanad n'a pas pu le traiter ; reformulez ou demandez un conseiller.", bad_characters: "il contient des caractères illisibles." },
      you: "Vous",
      sanad: "Sanad",
      advisor: "Conseiller",
      image: "Image envoyée par Sanad"
    },
    en: {
      open: "Open the chat with Sanad",
      close: "Close the chat",
      subtitle: "Programs, financing, eligibility",
      log: "Conversation with Sanad",
      label: "Your message",
      placeholder: "Type your question…",
      send: "Send",
      reset: "New conversation",
      language: "Language",
      suggestions: "Suggested replies",
      typing: "Sanad is typing…",
      offline: "Connection to the server lost. Retrying in a few seconds; your messages will be sent as soon as it is back.",
      unavailable: "Sanad is unavailable for a moment. Your message is kept and will be sent automatically.",
      refused: "Message not sent: ",
      errors: { empty: "the message is empty.", too_long: "the message is too long (2,000 characters at most).", unknown_button: "this button is no longer valid.", failed: "Sanad could not handle it; rephrase it or ask for an advisor.", bad_characters: "it contains unreadable characters." },
      you: "You",
      sanad: "Sanad",
      advisor: "Advisor",
      image: "Image sent by Sanad"
    },
    ar: {
      open: "فتح المحادثة مع سند",
      close: "إغلاق المحادثة",
      subtitle: "البرامج، التمويل، الأهلية",
      log: "المحادثة مع سند",
      label: "رسالتكم",
      placeholder: "اكتبوا سؤالكم…",
      send: "إرسال",
      reset: "محادثة جديدة",
      language: "اللغة",
      suggestions: "ردود مقترحة",
      typing: "سند يكتب…",
      offline: "انقطع الاتصال بالخادم. ستتم إعادة المحاولة بعد بضع ثوانٍ، وستُرسَل رسائلكم فور عودة الاتصال.",
      unavailable: "سند غير متاح مؤقتًا. رسالتكم محفوظة وستُرسَل تلقائيًا.",
      refused: "لم تُرسَل الرسالة: ",
      errors: { empty: "الرسالة فارغة.", too_long: "الرسالة طويلة جدًا (2000 حرف كحد أقصى).", unknown_button: "لم يعد هذا الزر صالحًا.", failed: "تعذّر على سند معالجتها؛ أعيدوا صياغتها أو اطلبوا التحدث مع مستشار.", bad_characters: "تحتوي على رموز غير مقروءة." },
      you: "أنت",
      sanad: "سند",
      advisor: "مستشار",
      image: "صورة أرسلها سند"
    },
    ary: {
      open: "7ell l'chat m3a Sanad",
      close: "Sedd l'chat",
      subtitle: "Les programmes, l'financement, l'éligibilité",
      log: "L'conversation m3a Sanad",
      label: "L'message dyalek",
      placeholder: "Kteb so2al dyalek…",
      send: "Sift",
      reset: "Conversation jdida",
      language: "Lougha",
      suggestions: "Jwabat m9tar7a",
      typing: "Sanad kaykteb…",
      offline: "T9te3 l'connexion m3a serveur. Ghadi n3awdo njerrbo mn daba chi tawani; les messages dyalek ghadi ymchiw ghir trje3 l'connexion.",
      unavailable: "Sanad ma mtwferch daba chwiya. L'message dyalek m7fod w ghadi ytsift automatiquement.",
      refused: "L'message ma tsiftch: ",
      errors: { empty: "l'message khawi.", too_long: "l'message twil bzaf (2000 7arf max).", unknown_button: "had l'bouton ma b9ach khddam.", failed: "Sanad ma 9derch ytkellef bih; kteb b tari9a khra wla tlob conseiller.", bad_characters: "fih 7orouf ma kayt9rawch." },
      you: "Nta",
      sanad: "Sanad",
      advisor: "Conseiller",
      image: "Tswira sifetha Sanad"
    }
  };
  var MAX_TEXT = 2000;
  var POLL_MS = 3000; // how often the widget asks for messages it did not ask for (an advisor's)
  var MAX_ATTEMPTS = 8; // a message the server keeps failing on (not "offline") is set aside after this

  var data = script.dataset;
  var server = (data.server || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var color = /^#[0-9a-fA-F]{6}$/.test(data.color || "") ? data.color : "#0b5cab";
  var key = "sanad:" + server + ":";
  var store = {
    get: function (name, fallback) {
      try { var value = localStorage.getItem(key + name); return value === null ? fallback : JSON.parse(value); }
      catch (e) { return fallback; }
    },
    set: function (name, value) {
      try { localStorage.setItem(key + name, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
    }
  };

  var state = {
    language: LANGUAGES.indexOf(store.get("language", data.lang)) >= 0 ? store.get("language", data.lang) : "fr",
    session: store.get("session", null) || newId(),
    outbox: store.get("outbox", []),
    lastId: 0,
    polled: 0, // the newest message id the polling has seen
    generation: 0, // bumped by "Nouvelle conversation": answers for the old conversation are ignored
    ready: false,
    sending: false,
    retryDelay: 1000,
    retryTimer: null
  };
  store.set("session", state.session);

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function t(name) { return STRINGS[state.language][name]; }

  // -- Colours: the brand colour as given, the text on it dark or light, whichever reads (WCAG AA) ----

  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  var onColor = contrast(color, "#ffffff") >= 4.5 ? "#ffffff" : "#111111";
  var accent = contrast(color, "#ffffff") >= 4.5 ? color : "#1f2933";

  // -- The DOM: built once, texts set with textContent ---------------------------------------------

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = el("div", { id: "sanad-widget" });
  var shadow = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent = [
    ":host { all: initial; }",
    "*, *::before, *::after { box-sizing: border-box; }",
    ".root { --brand: " + color + "; --on-brand: " + onColor + "; --accent: " + accent + ";",
    "  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif; color: #1a1a1a; }",
    "button, textarea { font: inherit; }",
    ".launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 60px; height: 60px;",
    "  border: none; border-radius: 50%; background: var(--brand); color: var(--on-brand); cursor: pointer;",
    "  box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; justify-content: center; }",
    ".launcher svg { width: 28px; height: 28px; fill: currentColor; }",
    ".panel { position: fixed; right: 20px; bottom: 92px; z-index: 2147483000; width: 380px; max-width: calc(100vw - 40px);",
    "  height: min(620px, calc(100vh - 112px)); display: flex; flex-direction: column; background: #fff;",
    "  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); overflow: hidden; }",
    ".panel[hidden] { display: none; }",
    "header { background: var(--brand); color: var(--on-brand); padding: 10px 12px; display: flex; align-items: center; gap: 8px; }",
    "header .titles { flex: 1; min-width: 0; }",
    "h2 { margin: 0; font-size: 16px; font-weight: 700; }",
    "header p { margin: 0; font-size: 12px; }",
    ".tools { background: var(--brand); color: var(--on-brand); padding: 0 12px 10px; display: flex; gap: 6px; align-items: center; justify-content: space-between; }",
    "header button, .tools button { background: transparent; color: var(--on-brand); border: 1px solid currentColor; border-radius: 6px;",
    "  padding: 3px 7px; cursor: pointer; font-size: 13px; }",
    ".tools button[aria-pressed=true] { background: var(--on-brand); color: var(--brand); }",
    ".tools [role=group] { display: flex; gap: 4px; }",
    "header .close { border: none; font-size: 22px; line-height: 1; padding: 2px 6px; }",
    ".status { padding: 8px 12px; background: #fff4ce; color: #3d2e00; font-size: 13px; }",
    ".status:empty { display: none; }",
    ".log { flex: 1; overflow-y: auto; padding: 12px; background: #f4f6f8; }",
    ".msg { max-width: 85%; margin: 6px 0; padding: 8px 12px; border-radius: 14px; overflow-wrap: anywhere; }",
    ".msg p { margin: 0 0 4px; } .msg p:last-child { margin: 0; }",
    ".msg ul { margin: 2px 0 4px; padding-inline-start: 18px; }",
    ".msg img { max-width: 100%; border-radius: 8px; }",
    ".founder { margin-left: auto; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; white-space: pre-wrap; }",
    ".founder a { color: #fff; }",
    ".founder.pending::after { content: ' ⋯'; }",
    ".founder.refused { background: #8a1c1c; }",
    ".sanad { margin-right: auto; background: #fff; border: 1px solid #d5dae1; border-bottom-left-radius: 4px; }",
    // Right to left (Arabic): the conversation is mirrored, as in Arabic chat apps.
    ".panel[dir=rtl] .founder { margin-left: 0; margin-right: auto; border-bottom-right-radius: 14px; border-bottom-left-radius: 4px; }",
    ".panel[dir=rtl] .sanad, .panel[dir=rtl] .advisor { margin-right: 0; margin-left: auto; border-bottom-left-radius: 14px; border-bottom-right-radius: 4px; }",
    ".sanad a { color: #0a4a8c; }",
    ".advisor { margin-right: auto; background: #fff4e0; border: 1px solid #c98a1b; border-bottom-left-radius: 4px; }",
    ".who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    // A person from the team writes: say so visibly, not only to screen readers.
    ".advisor .who { position: static; width: auto; height: auto; clip: auto; display: block; font-size: 12px; font-weight: 600; color: #7a4b00; }",
    ".quick { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 10px; }",
    ".quick button { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 16px;",
    "  padding: 5px 12px; cursor: pointer; }",
    ".quick button:disabled { opacity: .55; cursor: default; }",
    ".typing { padding: 0 12px 8px; background: #f4f6f8; color: #4a5560; font-size: 13px; font-style: italic; }",
    ".typing[hidden] { display: none; }",
    "form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #d5dae1; background: #fff; }",
    "textarea { flex: 1; resize: none; border: 1px solid #8a949e; border-radius: 8px; padding: 8px; min-height: 40px; max-height: 120px; color: #1a1a1a; }",
    "form button { background: var(--accent); color: #fff; border: none; border-radius: 8px; padding: 0 14px; cursor: pointer; }",
    ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    "button:focus-visible, textarea:focus-visible, .log:focus-visible, a:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }",
    "@media (max-width: 480px) {",
    "  .panel { inset: 0; width: 100vw; max-width: 100vw; height: 100%; border-radius: 0; }",
    "  .root.open .launcher { display: none; }",
    "}"
  ].join("\n");

  var root = el("div", { class: "root" });
  var launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "sanad-panel" });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  var panel = el("aside", { class: "panel", id: "sanad-panel", "aria-labelledby": "sanad-title" });
  panel.hidden = true;
  var header = el("header");
  var titles = el("div", { class: "titles" });
  var title = el("h2", { id: "sanad-title" }, data.title || "Sanad");
  var subtitle = el("p");
  titles.append(title, subtitle);
  var tools = el("div", { class: "tools" });
  var languageGroup = el("div", { role: "group" });
  var languageButtons = LANGUAGES.map(function (code) {
    var button = el("button", { type: "button", lang: code, "data-language": code, "aria-label": LANGUAGE_NAMES[code] },
      SHORT_NAMES[code]);
    button.addEventListener("click", function () { switchLanguage(code); });
    languageGroup.appendChild(button);
    return button;
  });
  var resetButton = el("button", { type: "button", class: "reset" });
  var closeButton = el("button", { type: "button", class: "close" }, "×");
  tools.append(languageGroup, resetButton);
  header.append(titles, closeButton);
  var status = el("div", { class: "status", role: "status", "aria-live": "polite" });
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var typing = el("div", { class: "typing", "aria-hidden": "true" });
  typing.hidden = true;
  var form = el("form");
  var label = el("label", { for: "sanad-input", class: "visually-hidden" });
  var input = el("textarea", { id: "sanad-input", rows: "1", maxlength: String(MAX_TEXT), dir: "auto", autocomplete: "off" });
  var sendButton = el("button", { type: "submit" });
  form.append(label, input, sendButton);
  panel.append(header, tools, status, log, typing, form);
  root.append(launcher, panel);
  shadow.append(style, root);

  function applyLanguage() {
    var s = STRINGS[state.language];
    panel.setAttribute("lang", state.language === "ary" ? "ary-Latn" : state.language);
    panel.setAttribute("dir", RTL_LANGUAGES.indexOf(state.language) >= 0 ? "rtl" : "ltr");
    launcher.setAttribute("aria-label", s.open);
    subtitle.textContent = s.subtitle;
    log.setAttribute("aria-label", s.log);
    languageGroup.setAttribute("aria-label", s.language);
    languageButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.language === state.language));
    });
    resetButton.textContent = s.reset;
    closeButton.setAttribute("aria-label", s.close);
    label.textContent = s.label;
    input.placeholder = s.placeholder;
    sendButton.textContent = s.send;
    typing.textContent = s.typing;
  }

  // -- Rendering a message: text nodes and a few safe elements only ----------------------------------

  var INLINE = /\*\*([^*\n]+?)\*\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"')]+)/g;

  function inline(parent, text) {
    var last = 0, match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(text))) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1]) {
        parent.appendChild(el("strong", {}, match[1]));
      } else {
        var link = el("a", { href: match[3] || match[4], target: "_blank", rel: "noopener noreferrer" }, match[2] || match[4]);
        parent.appendChild(link);
      }
      last = INLINE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderText(parent, text) {
    var list = null;
    text.split("\n").forEach(function (line) {
      var item = /^\s*[•\-*]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) { list = el("ul"); parent.appendChild(list); }
        var li = el("li");
        inline(li, item[1]);
        list.appendChild(li);
        return;
      }
      if (!line.trim()) { list = null; return; }
      if (list && /^\s+/.test(line)) { inline(list.lastChild, " " + line.trim()); return; } // a bullet's second line
      list = null;
      var paragraph = el("p");
      inline(paragraph, line);
      parent.appendChild(paragraph);
    });
  }

  function disableSuggestions() {
    Array.prototype.forEach.call(log.querySelectorAll(".quick button"), function (button) { button.disabled = true; });
  }

  var shown = {}; // message id -> true once rendered (the polling and a send's answer can both bring it)
  var AUTHORS = { founder: "you", sanad: "sanad", advisor: "advisor" };

  var ARABIC_LETTERS = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/g;
  var LATIN_LETTERS = /[A-Za-z\u00C0-\u024F]/g;

  // A message mostly in Arabic letters reads right to left, even when it starts with a Latin name
  // ("Plug and Play : برنامج ..."), which dir=auto would lay out left to right.
  function directionOf(text) {
    var arabic = (text.match(ARABIC_LETTERS) || []).length;
    var latin = (text.match(LATIN_LETTERS) || []).length;
    return arabic > latin ? "rtl" : "ltr";
  }

  /**
   * Show one message at the end of the conversation, or before ``before``: Sanad's replies to a message
   * go above the founder's messages typed after it (the greeting stays first even when the founder types
   * before it arrives).
   */
  function render(message, before) {
    if (message.id) shown[message.id] = true;
    if (message.author === "founder" && !message.text) return null; // a silent button (language, greeting)
    var author = AUTHORS[message.author] ? message.author : "sanad";
    var bubble = el("div", { class: "msg " + author, dir: directionOf(message.text || "") });
    // the hidden label takes its own direction, so that it does not turn the bubble around
    bubble.appendChild(el("span", { class: "who", dir: "auto" }, t(AUTHORS[author]) + " : "));
    if (message.author === "founder") {
      bubble.appendChild(document.createTextNode(message.text));
    } else {
      renderText(bubble, message.text || "");
    }
    if (message.image && /^https?:\/\//.test(message.image)) bubble.appendChild(el("img", { src: message.image, alt: t("image") }));
    log.insertBefore(bubble, before || null);
    if (message.buttons && message.buttons.length) {
      var group = el("div", { class: "quick", role: "group", "aria-label": t("suggestions") });
      message.buttons.forEach(function (button) {
        var b = el("button", { type: "button" }, button.title);
        b.addEventListener("click", function () {
          queue({ payload: button.payload, title: button.title });
          input.focus(); // the tapped button is now disabled: keep the keyboard in the conversation
        });
        group.appendChild(b);
      });
      log.insertBefore(group, before || null);
    }
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  function renderHistory(messages) {
    log.textContent = "";
    messages.forEach(function (message) {
      state.lastId = Math.max(state.lastId, message.id);
      state.polled = Math.max(state.polled, message.id);
      if (message.author === "founder" && message.status === "pending") return; // still in the outbox
      render(message);
    });
    disableSuggestions();
    var quick = log.lastElementChild;
    if (quick && quick.classList.contains("quick")) {
      Array.prototype.forEach.call(quick.querySelectorAll("button"), function (button) { button.disabled = false; });
    }
  }

  // -- Talking to the server -------------------------------------------------------------------------

  function api(path, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 150000);
    options = options || {};
    if (controller) options.signal = controller.signal;
    return fetch(server + "/api/sessions/" + encodeURIComponent(state.session) + path, options).then(
      function (response) {
        clearTimeout(timer);
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      },
      function (error) { clearTimeout(timer); throw error; }
    );
  }

  var bubbles = {}; // client_id -> the founder's bubble, shown before the server has the message

  function saveOutbox() { store.set("outbox", state.outbox); }

  function showPending(message) {
    var bubble = render({ author: "founder", text: message.title !== undefined ? message.title : message.text });
    if (bubble) {
      bubble.classList.add("pending");
      bubbles[message.client_id] = bubble;
    }
  }

  /** Show the founder's message at once and queue it; the queue is sent in order. */
  function queue(message) {
    message.client_id = newId();
    message.language = state.language;
    state.outbox.push(message);
    saveOutbox();
    disableSuggestions();
    showPending(message);
    flush();
  }

  function flush() {
    if (!state.ready || state.sending || !state.outbox.length) return;
    state.sending = true;
    var message = state.outbox[0];
    var generation = state.generation;
    typing.hidden = false;
    var body = { client_id: message.client_id, language: message.language };
    if (message.payload !== undefined) { body.payload = message.payload; body.title = message.title || ""; }
    else body.text = message.text;
    api("/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (result) {
        if (generation !== state.generation) return; // a new conversation began meanwhile: not ours any more
        var body = result.body || {};
        if (result.status === 200 && body.founder && typeof body.founder.id === "number") return delivered(message, body);
        message.attempts = (message.attempts || 0) + 1;
        if ((result.status >= 400 && result.status < 500) || message.attempts >= MAX_ATTEMPTS) {
          return refused(message, body.error || "failed");
        }
        throw new Error(result.status === 503 ? "unavailable" : "offline");
      })
      .catch(function (error) {
        if (generation !== state.generation) return;
        retryLater(error && error.message === "unavailable" ? "unavailable" : "offline");
      });
  }

  /** The first bubble of a message typed after the one being answered (still in the outbox), if any. */
  function laterBubble() {
    for (var i = 0; i < state.outbox.length; i++) {
      var bubble = bubbles[state.outbox[i].client_id];
      if (bubble && bubble.parentNode === log) return bubble;
    }
    return null;
  }

  function delivered(message, body) {
    state.outbox.shift();
    saveOutbox();
    status.textContent = "";
    state.retryDelay = 1000;
    if (bubbles[message.client_id]) bubbles[message.client_id].classList.remove("pending");
    delete bubbles[message.client_id];
    state.lastId = Math.max(state.lastId, body.founder.id);
    var replies = body.replies || [];
    // Replies arrive one after the other, "typing" in between, as in a chat with a person.
    (function next(index) {
      if (index >= replies.length) {
        typing.hidden = true;
        state.sending = false;
        flush();
        return;
      }
      setTimeout(function () {
        state.lastId = Math.max(state.lastId, replies[index].id);
        if (!shown[replies[index].id]) render(replies[index], laterBubble());
        next(index + 1);
      }, index === 0 ? 0 : 350);
    })(0);
  }

  function refused(message, code) {
    state.outbox.shift();
    saveOutbox();
    typing.hidden = true;
    state.sending = false;
    var bubble = bubbles[message.client_id];
    delete bubbles[message.client_id];
    if (bubble) {
      bubble.classList.remove("pending");
      bubble.classList.add("refused");
    }
    status.textContent = t("refused") + (t("errors")[code] || code || "");
    flush();
  }

  function retryLater(reason) {
    typing.hidden = true;
    state.sending = false;
    status.textContent = t(reason);
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(flush, state.retryDelay);
    state.retryDelay = Math.min(state.retryDelay * 2, 15000);
  }

  window.addEventListener("online", function () { state.retryDelay = 1000; clearTimeout(state.retryTimer); flush(); });

  function greet() {
    // Only the latest language counts: drop greetings still waiting (switching twice while offline).
    state.outbox = state.outbox.filter(function (m, index) {
      return !(m.payload && m.payload.indexOf("/greet") === 0 && !(index === 0 && state.sending));
    });
    queue({ payload: "/greet" + JSON.stringify({ language: state.language }), title: "" });
  }

  // -- What the founder does -------------------------------------------------------------------------

  function open(restoring) {
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    store.set("open", true);
    if (!restoring) input.focus(); // a page load reopens the panel without taking the focus (or a phone's keyboard)
    if (state.ready && !log.children.length && !state.outbox.length) greet();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    store.set("open", false);
    launcher.focus();
  }

  function switchLanguage(code) {
    if (code === state.language) return;
    state.language = code;
    store.set("language", code);
    applyLanguage();
    greet();
  }

  function reset() {
    state.generation += 1;
    state.sending = false;
    typing.hidden = true;
    state.session = newId();
    store.set("session", state.session);
    state.outbox = [];
    saveOutbox();
    state.lastId = 0;
    state.polled = 0;
    shown = {};
    log.textContent = "";
    status.textContent = "";
    greet();
    input.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(false); else close(); });
  closeButton.addEventListener("click", close);
  resetButton.addEventListener("click", reset);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    queue({ text: text.slice(0, MAX_TEXT) });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  applyLanguage();
  // On <html>, not <body>: a transform or filter on the page's body would otherwise move "fixed" elements,
  // and inline !important styles win over the page's rules about divs.
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "block", "important");
  document.documentElement.appendChild(host);
  window.sanadWidget = { open: open, close: close, reset: reset };

  /**
   * Read the conversation back from the server, then show and send what is still in the outbox
   * (messages typed before a reload or while offline: they were never lost). Until the server
   * answers, the widget says it is offline and tries again.
   */
  function boot(delay) {
    api("/messages").then(function (result) {
      if (result.status !== 200) throw new Error("offline");
      var messages = result.body.messages || [];
      var answered = {};
      messages.forEach(function (m) { if (m.author === "founder" && m.status === "answered") answered[m.client_id] = true; });
      state.outbox = state.outbox.filter(function (m) { return !answered[m.client_id]; }); // answered before a reload
      saveOutbox();
      renderHistory(messages);
      bubbles = {};
      state.outbox.forEach(showPending);
      state.ready = true;
      status.textContent = "";
      if (store.get("open", false)) open(true);
      flush();
    }).catch(function () {
      status.textContent = t("offline");
      setTimeout(function () { boot(Math.min(delay * 2, 15000)); }, delay);
    });
  }
  /*
   * An advisor (a person from the team) may write at any time: ask for new messages every few
   * seconds while the page is visible, and show those that are not the founder's own.
   */
  function poll() {
    var generation = state.generation;
    if (!state.ready || document.hidden) { setTimeout(poll, POLL_MS); return; }
    api("/messages?after=" + state.polled).then(function (result) {
      if (result.status !== 200 || generation !== state.generation) return;
      (result.body.messages || []).forEach(function (message) {
        state.polled = Math.max(state.polled, message.id);
        state.lastId = Math.max(state.lastId, message.id);
        if (message.author !== "founder" && !shown[message.id]) render(message);
      });
    }).catch(function () { /* offline: the next round tries again */ }).then(function () {
      setTimeout(poll, POLL_MS);
    });
  }
  setTimeout(poll, POLL_MS);

  // Until the server answers, show what is waiting to be sent (typed before a reload while offline).
  state.outbox.forEach(showPending);
  if (store.get("open", false)) open(true);
  boot(1000);
})();
