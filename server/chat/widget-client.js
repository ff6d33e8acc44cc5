// The website chat widget (browser script, served as-is at /api/v1/chat/widget.js; see widget.ts).
// One script an administrator puts on any web page:
//   <script src="https://helpdesk.example.com/api/v1/chat/widget.js" async></script>
// optional data-channel="<id>" and data-lang="en|de". It draws a button and a chat panel in a shadow
// root, asks for name, email and a first message, then talks to /chat/public with the chat's token
// (never cookies), receives messages over Server-Sent Events and after every (re)connect asks for
// the messages after the last one it has, so nothing is lost. Enter sends, Shift+Enter is a new line.
/* global document, EventSource */
(() => {
  const TEXTS = {
    en: {
      open: "Chat with us",
      title: "Chat",
      name: "Your name",
      email: "Your email",
      message: "How can we help?",
      start: "Start chat",
      send: "Send",
      end: "End chat",
      waiting: "Waiting for an agent\u2026",
      typing: "is typing\u2026",
      closed: "The chat has ended. The transcript is on its way to your inbox.",
      unavailable: "No agent is online right now; leave a message and we will answer by email.",
      newChat: "New chat",
      error: "Something went wrong"
    },
    de: {
      open: "Chatten Sie mit uns",
      title: "Chat",
      name: "Ihr Name",
      email: "Ihre E-Mail-Adresse",
      message: "Wie k\xF6nnen wir helfen?",
      start: "Chat starten",
      send: "Senden",
      end: "Chat beenden",
      waiting: "Warte auf einen Mitarbeiter\u2026",
      typing: "schreibt\u2026",
      closed: "Der Chat ist beendet. Das Protokoll ist unterwegs in Ihr Postfach.",
      unavailable: "Gerade ist niemand online; schreiben Sie uns, wir antworten per E-Mail.",
      newChat: "Neuer Chat",
      error: "Etwas ist schiefgegangen"
    }
  };
  function widget(texts) {
    const script = document.currentScript;
    if (!script) return;
    const base = new URL(script.src).origin + "/api/v1/chat/public";
    const lang = (script.dataset.lang || navigator.language || "en").slice(0, 2) === "de" ? "de" : "en";
    const t = texts[lang];
    const channelId = script.dataset.channel ? Number(script.dataset.channel) : void 0;
    const storeKey = "helpdesk-chat:" + base;
    const host = document.createElement("div");
    host.id = "helpdesk-chat-widget";
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = `<style>
    :host{all:initial;font:14px/1.4 system-ui,sans-serif;color:#1f2933}
    button{font:inherit;cursor:pointer;border:0;border-radius:6px;padding:8px 12px;background:#1d4ed8;color:#fff}
    button.secondary{background:#e5e7eb;color:#111}
    .fab{position:fixed;right:20px;bottom:20px;z-index:2147483000;box-shadow:0 2px 8px rgba(0,0,0,.25)}
    .panel{position:fixed;right:20px;bottom:70px;width:320px;max-height:480px;display:none;flex-direction:column;background:#fff;border:1px solid #cbd2d9;border-radius:10px;box-shadow:0 4px 16px rgba(0,0,0,.2);z-index:2147483000;overflow:hidden}
    .panel.open{display:flex}
    header{background:#1d4ed8;color:#fff;padding:8px 12px;font-weight:600;display:flex;justify-content:space-between;align-items:center}
    form{display:flex;flex-direction:column;gap:6px;padding:10px}
    input,textarea{font:inherit;padding:6px;border:1px solid #cbd2d9;border-radius:6px}
    .log{flex:1;overflow:auto;padding:10px;display:flex;flex-direction:column;gap:6px;min-height:160px}
    .msg{padding:6px 8px;border-radius:8px;background:#f1f5f9;max-width:85%}
    .msg.me{align-self:flex-end;background:#dbeafe}
    .msg.system{align-self:center;background:none;color:#52606d;font-style:italic;font-size:12px}
    .who{font-size:11px;color:#52606d}
    .status{font-size:12px;color:#52606d;padding:0 10px 4px}
    .compose{display:flex;gap:6px;padding:8px;border-top:1px solid #e5e7eb}
    .compose textarea{flex:1;resize:none;height:38px}
  </style>
  <button class="fab" part="button"></button>
  <div class="panel" role="dialog">
    <header><span class="title"></span><button class="secondary end" hidden></button></header>
    <form class="start">
      <div class="note status"></div>
      <input name="name" required maxlength="200" autocomplete="name">
      <input name="email" type="email" required maxlength="254" autocomplete="email">
      <textarea name="message" required rows="3"></textarea>
      <button type="submit" class="go"></button>
    </form>
    <div class="log" hidden aria-live="polite"></div>
    <div class="status typing"></div>
    <div class="compose" hidden><textarea aria-label="message"></textarea><button class="send"></button></div>
  </div>`;
    const $ = (sel) => root.querySelector(sel);
    const fab = $(".fab");
    const panel = $(".panel");
    const form = $("form.start");
    const log = $(".log");
    const compose = $(".compose");
    const input = $(".compose textarea");
    const typingLine = $(".typing");
    const endButton = $(".end");
    fab.textContent = t.open;
    $(".title").textContent = t.title;
    endButton.textContent = t.end;
    form.elements.namedItem("name").placeholder = t.name;
    form.elements.namedItem("email").placeholder = t.email;
    form.elements.namedItem("message").placeholder = t.message;
    $(".go").textContent = t.start;
    $(".send").textContent = t.send;
    input.placeholder = t.message;
    let chat = null;
    try {
      chat = JSON.parse(localStorage.getItem(storeKey) || "null");
    } catch {
      chat = null;
    }
    let lastId = 0;
    let source = null;
    let typingTimer;
    let lastTypingSent = 0;
    const call = async (path, method = "GET", body) => {
      const res = await fetch(base + path, {
        method,
        credentials: "omit",
        headers: { ...body ? { "content-type": "application/json" } : {}, ...chat ? { "x-chat-token": chat.token } : {}, "accept-language": lang },
        body: body ? JSON.stringify(body) : void 0
      });
      const data = res.status === 204 ? null : await res.json().catch(() => null);
      if (!res.ok) throw new Error(data && data.error && data.error.message || t.error);
      return data;
    };
    const status = (text) => {
      typingLine.textContent = text;
    };
    const show = (m) => {
      if (m.id <= lastId) return;
      lastId = m.id;
      const div = document.createElement("div");
      div.className = "msg" + (m.sender === "visitor" ? " me" : m.sender === "system" ? " system" : "");
      div.dataset.id = String(m.id);
      if (m.sender !== "system" && m.sender !== "visitor") {
        const who = document.createElement("div");
        who.className = "who";
        who.textContent = m.senderName;
        div.appendChild(who);
      }
      const body = document.createElement("div");
      body.innerHTML = m.html;
      div.appendChild(body);
      log.appendChild(div);
      log.scrollTop = log.scrollHeight;
      if (m.sender === "agent") status("");
    };
    const catchUp = async () => {
      if (!chat) return;
      for (; ; ) {
        const page = await call(`/chats/${chat.id}/messages?after=${lastId}`);
        page.items.forEach(show);
        if (page.items.length < 200) break;
      }
    };
    const refresh = async () => {
      if (!chat) return;
      const view = await call(`/chats/${chat.id}`);
      if (view.state === "closed") {
        compose.hidden = true;
        endButton.hidden = true;
        status(t.closed);
        source == null ? void 0 : source.close();
        source = null;
        localStorage.removeItem(storeKey);
      } else if (view.state === "request") status(t.waiting);
    };
    const connect = () => {
      if (!chat) return;
      form.hidden = true;
      log.hidden = false;
      compose.hidden = false;
      endButton.hidden = false;
      source == null ? void 0 : source.close();
      source = new EventSource(`${base}/chats/${chat.id}/events?token=${encodeURIComponent(chat.token)}`);
      source.addEventListener("ready", () => void catchUp().then(refresh).catch(() => void 0));
      source.addEventListener("chat", (e) => {
        const ev = JSON.parse(e.data);
        if (ev.type === "message" && ev.message) {
          if (ev.message.id > lastId + 1) void catchUp();
          else show(ev.message);
        } else if (ev.type === "typing" && ev.who !== "visitor") {
          status(`${ev.name} ${t.typing}`);
          clearTimeout(typingTimer);
          typingTimer = setTimeout(() => status(""), 4e3);
        } else if (ev.type === "state") void refresh();
      });
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(form);
      call("/chats", "POST", {
        name: String(f.get("name") || ""),
        email: String(f.get("email") || ""),
        message: { body: String(f.get("message") || "") },
        ...channelId ? { channelId } : {}
      }).then((r) => {
        chat = { id: r.chat.id, token: r.token };
        localStorage.setItem(storeKey, JSON.stringify(chat));
        connect();
      }).catch((err) => {
        $(".note").textContent = err.message;
      });
    });
    const send = () => {
      const body = input.value;
      if (!body.trim() || !chat) return;
      input.value = "";
      call(`/chats/${chat.id}/messages`, "POST", { body }).then(show, (err) => {
        input.value = body;
        status(err.message);
      });
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        send();
      } else if (chat && Date.now() - lastTypingSent > 3e3) {
        lastTypingSent = Date.now();
        void call(`/chats/${chat.id}/typing`, "POST").catch(() => void 0);
      }
    });
    $(".send").addEventListener("click", send);
    endButton.addEventListener("click", () => {
      if (chat) void call(`/chats/${chat.id}/close`, "POST").then(refresh).catch(() => void 0);
    });
    fab.addEventListener("click", () => panel.classList.toggle("open"));
    call("/status").then((s) => {
      if (!s.available) $(".note").textContent = t.unavailable;
    }).catch(() => void 0);
    document.body.appendChild(host);
    if (chat) {
      panel.classList.add("open");
      connect();
    }
  }
  widget(TEXTS);
})();
