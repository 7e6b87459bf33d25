/*
 * Atende web-chat: put this on your site.
 *   <script src="https://HOST/embed.js" data-channel="site" async></script>
 * Optional: data-color="#0f766e" (brand colour), data-label="Fale conosco".
 * No build step and no dependencies: it adds a round button that opens the
 * chat (an iframe of HOST/widget/<channel>) in a corner panel, full screen on phones.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__atendeWidget) return;
  window.__atendeWidget = true;

  var channel = script.getAttribute('data-channel') || 'site';
  var colour = script.getAttribute('data-color') || '';
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) colour = '#4f46e5';
  var lang = (navigator.language || 'pt-BR').toLowerCase().indexOf('en') === 0 ? 'en' : 'pt';
  var label = script.getAttribute('data-label') || (lang === 'en' ? 'Chat with us' : 'Fale conosco');
  var closeLabel = lang === 'en' ? 'Close chat' : 'Fechar chat';
  var origin = new URL(script.src, location.href).origin;
  var src = origin + '/widget/' + encodeURIComponent(channel) + '?color=' + encodeURIComponent(colour);

  var css =
    '.atende-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483646;width:60px;height:60px;border:0;border-radius:50%;' +
    'background:' + colour + ';color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.22);display:flex;align-items:center;justify-content:center;' +
    'transition:transform .15s ease,box-shadow .15s ease;padding:0}' +
    '.atende-launcher:hover{transform:scale(1.06);box-shadow:0 8px 26px rgba(0,0,0,.28)}' +
    '.atende-launcher:focus-visible{outline:3px solid ' + colour + ';outline-offset:3px}' +
    '.atende-launcher svg{width:28px;height:28px}' +
    '.atende-badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;box-sizing:border-box;border-radius:10px;' +
    'background:#dc2626;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}' +
    '.atende-frame{position:fixed;right:20px;bottom:92px;z-index:2147483647;width:380px;height:600px;max-height:calc(100vh - 112px);' +
    'border:0;border-radius:16px;background:#fff;box-shadow:0 12px 48px rgba(0,0,0,.25);opacity:0;transform:translateY(12px);' +
    'transition:opacity .18s ease,transform .18s ease;visibility:hidden}' +
    '.atende-frame.atende-open{opacity:1;transform:none;visibility:visible}' +
    '@media (max-width:480px){.atende-frame{right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}' +
    '.atende-launcher.atende-open{display:none}}';

  var chatIcon =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M7.9 20A9 9 0 1 0 4 16.1L2 22Z"/></svg>';
  var closeIcon =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M18 6 6 18"/><path d="m6 6 12 12"/></svg>';

  function mount() {
    var style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);

    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'atende-launcher';
    button.setAttribute('aria-label', label);
    button.setAttribute('aria-expanded', 'false');
    button.title = label;
    button.innerHTML = chatIcon;
    var badge = document.createElement('span');
    badge.className = 'atende-badge';
    badge.hidden = true;
    badge.setAttribute('aria-hidden', 'true');

    var frame = null;
    var open = false;
    var unread = 0;
    var savedOverflow = document.documentElement.style.overflow;

    function render() {
      button.innerHTML = open ? closeIcon : chatIcon;
      badge.hidden = open || unread === 0;
      badge.textContent = unread > 9 ? '9+' : String(unread);
      button.appendChild(badge);
      var name = open ? closeLabel : unread > 0 ? label + ' (' + unread + ')' : label;
      button.setAttribute('aria-label', name);
      button.title = name;
    }

    function setOpen(value) {
      open = value;
      if (open && !frame) {
        // Created on first open, so a page that never opens the chat loads nothing.
        frame = document.createElement('iframe');
        frame.className = 'atende-frame';
        frame.title = label;
        frame.src = src;
        frame.setAttribute('allow', 'clipboard-write');
        document.body.appendChild(frame);
        frame.getBoundingClientRect();
      }
      if (frame) {
        frame.classList.toggle('atende-open', open);
        // The chat counts replies that arrive while it is hidden.
        if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'atende:visibility', open: open }, origin);
      }
      if (open) unread = 0;
      // Full screen on phones: the page behind must not scroll under the chat.
      var phone = window.matchMedia && window.matchMedia('(max-width: 480px)').matches;
      document.documentElement.style.overflow = open && phone ? 'hidden' : savedOverflow;
      button.classList.toggle('atende-open', open);
      button.setAttribute('aria-expanded', String(open));
      render();
    }

    button.addEventListener('click', function () {
      setOpen(!open);
    });
    // The chat's own close button (inside the iframe) asks us to hide it.
    window.addEventListener('message', function (event) {
      if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
      if (event.data && event.data.type === 'atende:close') {
        setOpen(false);
        button.focus();
      } else if (event.data && event.data.type === 'atende:unread' && typeof event.data.count === 'number') {
        unread = open ? 0 : Math.max(0, Math.floor(event.data.count));
        render();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && open) setOpen(false);
    });
    render();
    document.body.appendChild(button);
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
