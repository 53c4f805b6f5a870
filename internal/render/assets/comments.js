// Comments: the per-reader part of the article page. The page itself is
// the same for everyone (and cached); this script asks /api/v1/me who is
// reading, enables the box, counts characters as the server does
// (grapheme clusters of the NFC text), posts, and shows the reader's own
// pending or removed comments.
(function () {
  'use strict';
  var root = document.getElementById('comments');
  if (!root || !window.fetch) return;
  var articleID = root.getAttribute('data-article-id');
  var max = parseInt(root.getAttribute('data-max'), 10) || 250;
  var tz = root.getAttribute('data-tz') || 'UTC';
  var $ = function (sel, el) { return (el || root).querySelector(sel); };
  var $$ = function (sel, el) { return Array.prototype.slice.call((el || root).querySelectorAll(sel)); };

  var T = {
    en: {
      title: 'Comments', lock: 'To write comments, please log in to one of the accounts',
      connect: 'Log in to Twitter or Facebook account to connect', connectWith: 'Log in with {names} to connect', or: ' or ', help: 'Social comment?', policy: 'Standards Board Policy',
      post: 'Post', save: 'Save', cancel: 'Cancel', label: 'Your comment', placeholder: 'Share your view (at most {max} characters)',
      counter: '{n}/{max}', empty: 'No comments yet.', more: 'Load more comments', newest: 'Newest', oldest: 'Oldest',
      top: 'Most recommended', sortLabel: 'Sort comments', reply: 'Reply', replyingTo: 'Replying to @{name}', replyTo: 'replying to @{name}',
      recommend: 'Recommend', recommended: 'recommended', report: 'Report', edit: 'Edit', del: 'Delete', edited: '(edited)',
      deleted: 'This comment was deleted.', removedUnder: 'Removed under clause {n}', pending: 'Waiting for a moderator',
      loggedAs: 'Logged in as', account: 'My account', logout: 'Log out', closed: 'Comments on this article are closed.',
      posted: 'Your comment is published.', saved: 'Your changes are saved.', heldEdit: 'Your changes are saved and wait for a moderator.', held: 'Your comment is waiting for a moderator.', share: 'Share my comment:',
      email: 'E-mail', reportWhy: 'Which rule does it break?', reportSend: 'Send report', reported: 'Thank you. A moderator will look at it.', reportedBtn: 'Reported', already: 'You have already reported this comment.',
      confirmDelete: 'Delete this comment?', noProviders: 'Sign-in is not set up on this site yet.', banned: 'You may not comment until {until}.',
      failed: 'Something went wrong. Please try again.', tooLong: 'A comment holds at most {max} characters.',
      reason: 'Reason: {facts} (clause {n}, decision {id})', appeal: 'Appeal', appealWhy: 'Why should this decision change?', appealSend: 'Send appeal',
      appealOpen: 'Your appeal waits for a moderator other than the one who decided.', appealUpheld: 'Your appeal was reviewed: the decision stands.',
      appealReversed: 'Your appeal was reviewed: the decision was reversed.', appealReply: 'Reply: {text}'
    },
    ko: {
      title: '댓글', lock: '댓글을 쓰려면 계정 중 하나로 로그인해 주세요',
      connect: '트위터 또는 페이스북 계정으로 로그인해 연결하세요', connectWith: '{names} 계정으로 로그인해 연결하세요', or: ' 또는 ', help: '소셜 댓글이란?', policy: '기사윤리위원회 규정',
      post: '등록', save: '저장', cancel: '취소', label: '댓글 입력', placeholder: '의견을 남겨 주세요 (최대 {max}자)',
      counter: '({n}/{max}자)', empty: '아직 댓글이 없습니다.', more: '댓글 더 보기', newest: '최신순', oldest: '오래된순',
      top: '추천순', sortLabel: '댓글 정렬', reply: '답글', replyingTo: '@{name}님에게 답글 쓰는 중', replyTo: '@{name}님에게 답글',
      recommend: '추천', recommended: '추천', report: '신고', edit: '수정', del: '삭제', edited: '(수정됨)',
      deleted: '삭제된 댓글입니다.', removedUnder: '규정 제{n}조에 따라 삭제됨', pending: '검토 대기 중',
      loggedAs: '로그인:', account: '내 계정', logout: '로그아웃', closed: '이 기사의 댓글은 닫혔습니다.',
      posted: '댓글이 등록되었습니다.', saved: '수정한 내용이 저장되었습니다.', heldEdit: '수정한 내용이 저장되어 검토를 기다리고 있습니다.', held: '댓글이 검토를 기다리고 있습니다.', share: '내 댓글 공유하기:',
      email: '이메일', reportWhy: '어떤 규정을 어겼나요?', reportSend: '신고하기', reported: '신고가 접수되었습니다. 담당자가 검토합니다.', reportedBtn: '신고함', already: '이미 신고한 댓글입니다.',
      confirmDelete: '이 댓글을 삭제할까요?', noProviders: '이 사이트에는 아직 로그인이 설정되지 않았습니다.', banned: '{until}까지 댓글을 쓸 수 없습니다.',
      failed: '문제가 생겼습니다. 다시 시도해 주세요.', tooLong: '댓글은 최대 {max}자까지 쓸 수 있습니다.',
      reason: '사유: {facts} (규정 제{n}조, 결정 번호 {id})', appeal: '이의 신청', appealWhy: '이 결정을 바꿔야 하는 이유는 무엇인가요?', appealSend: '이의 신청 보내기',
      appealOpen: '이의 신청을 처음 결정한 운영자가 아닌 다른 운영자가 검토하고 있습니다.', appealUpheld: '이의 신청을 검토했습니다. 결정이 유지됩니다.',
      appealReversed: '이의 신청을 검토했습니다. 결정이 취소되었습니다.', appealReply: '답변: {text}'
    }
  };
  var lang = 'en', started = false;
  var me = null, clauses = [], recommended = {}, reported = {}, sort = 'newest', parentID = null, editingID = null;

  function t(key, vars) {
    var s = (T[lang] && T[lang][key]) || T.en[key] || key;
    vars = vars || {};
    vars.max = vars.max === undefined ? max : vars.max;
    return s.replace(/\{(\w+)\}/g, function (_, k) { return vars[k] === undefined ? '' : String(vars[k]); });
  }

  // graphemes counts what a reader sees as characters, as the server's
  // uniseg does; browsers without Intl.Segmenter count code points,
  // folding combining marks, variation selectors, joiners and skin tones
  // into the character before them.
  var segmenter = (window.Intl && Intl.Segmenter) ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  function graphemes(s) {
    s = s.normalize ? s.normalize('NFC') : s;
    s = s.replace(/\r\n?/g, '\n').replace(/^\s+|\s+$/g, '');
    if (!s) return 0;
    if (segmenter) { var n = 0; var it = segmenter.segment(s)[Symbol.iterator](); while (!it.next().done) n++; return n; }
    var count = 0, joined = false;
    var cps = Array.from(s);
    for (var i = 0; i < cps.length; i++) {
      var c = cps[i].codePointAt(0);
      var extend = (c >= 0x300 && c <= 0x36f) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff) || c === 0x200d || (c >= 0xe0020 && c <= 0xe007f);
      var ri = c >= 0x1f1e6 && c <= 0x1f1ff;
      if (c === 0x200d) { joined = true; continue; }
      if (extend || joined) { joined = false; continue; }
      if (ri && i + 1 < cps.length) { var d = cps[i + 1].codePointAt(0); if (d >= 0x1f1e6 && d <= 0x1f1ff) i++; }
      count++;
    }
    return count;
  }

  // orList joins the provider labels of data-names ("GitHub|Google")
  // the way the reader's language says "or".
  function orList(names) {
    if (!names) return '';
    var l = names.split('|');
    if (l.length === 1) return l[0];
    return l.slice(0, -1).join(', ') + t('or') + l[l.length - 1];
  }

  // orderRecs puts a comment's count of recommendations where the
  // language reads it: "3 recommended", "추천 3".
  function orderRecs(recs) {
    var n = recs.querySelector('[data-recs]'), l = recs.querySelector('[data-i18n=recommended]');
    if (!n || !l) return;
    if (lang === 'ko') recs.replaceChildren(l, document.createTextNode(' '), n);
    else recs.replaceChildren(n, document.createTextNode(' '), l);
  }

  function applyLang() {
    document.cookie = 'byline_lang=' + lang + '; path=/; max-age=31536000; samesite=lax';
    root.setAttribute('lang', lang);
    $$('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n'), { names: orList(el.getAttribute('data-names')) }); });
    $$('[data-i18n-label]').forEach(function (el) { el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label'))); });
    $$('[data-lang]').forEach(function (b) { b.setAttribute('aria-pressed', b.getAttribute('data-lang') === lang ? 'true' : 'false'); });
    var ta = $('[data-body]');
    if (ta) ta.setAttribute('placeholder', t('placeholder'));
    $$('.comment-recs').forEach(orderRecs);
    $$('.comment-reply-to').forEach(function (el) { el.textContent = t('replyTo', { name: el.getAttribute('data-name') || el.textContent.replace(/^.*@/, '') }); });
    // The box's links name its language (?lang=, also inside a sign-in
    // link's return address); they follow the language chosen here.
    $$('a[href*="lang"]').forEach(function (a) {
      if (a.closest('[data-langlinks]')) return;
      a.setAttribute('href', a.getAttribute('href').replace(/([?&]|%3F|%26)lang(=|%3D)(en|ko)/gi, '$1lang$2' + lang));
    });
    updateCounter();
    redrawTimes();
    decorateAll();
  }

  function updateCounter() {
    var ta = $('[data-body]'), c = $('[data-counter]');
    if (!ta || !c) return;
    var n = graphemes(ta.value);
    c.textContent = t('counter', { n: n });
    c.classList.toggle('over', n > max);
  }

  function api(method, url, body) {
    var opt = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
    return fetch(url, opt).then(function (res) {
      if (res.status === 204) return { ok: true, status: 204, data: null };
      return res.json().then(function (data) { return { ok: res.ok, status: res.status, data: data }; },
        function () { return { ok: res.ok, status: res.status, data: null }; });
    });
  }

  function errorText(r) {
    var e = r.data && r.data.error;
    if (e && e.field === 'body' && /at most/.test(e.message) && lang === 'ko') return t('tooLong');
    return (e && e.message) ? e.message.charAt(0).toUpperCase() + e.message.slice(1) : t('failed');
  }

  function say(text, isError) {
    var m = $('[data-msg]');
    if (!m) return;
    m.textContent = text;
    m.classList.toggle('error', !!isError);
  }

  // A message belongs to the action that caused it: clearMsg runs when
  // the next action starts (a post, a reply, an edit, a recommendation,
  // a report, a sort) and takes the box's message, the share links and
  // the answers to earlier reports away.
  function clearMsg() {
    say('');
    var box = $('[data-share]');
    if (box) { box.hidden = true; box.textContent = ''; }
    $$('.comment-report-msg').forEach(function (p) { p.remove(); });
  }

  // fmtDate draws a time as the server does (render.DateTime): in the
  // paper's zone (data-tz), never the browser's, "Dec. 3, 2026, 01:44"
  // in English and "2026년 12월 3일 01:44" in Korean.
  var MONTHS = ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'May', 'Jun.', 'Jul.', 'Aug.', 'Sep.', 'Oct.', 'Nov.', 'Dec.'];
  var partsFmt = null;
  function wallClock(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return null;
    if (!partsFmt) {
      try {
        partsFmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
      } catch (e) { partsFmt = false; }
    }
    if (partsFmt) {
      var p = {};
      partsFmt.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
      return { y: +p.year, m: +p.month, d: +p.day, h: (+p.hour) % 24, min: +p.minute };
    }
    // No time zone data in this browser: the wall clock written in the
    // ISO text (the page writes it in the paper's zone; the API in UTC).
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return m ? { y: +m[1], m: +m[2], d: +m[3], h: +m[4], min: +m[5] } : null;
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function fmtDate(iso) {
    var w = wallClock(iso);
    if (!w) return iso;
    var hm = pad(w.h) + ':' + pad(w.min);
    if (lang === 'ko') return w.y + '년 ' + w.m + '월 ' + w.d + '일 ' + hm;
    return MONTHS[w.m - 1] + ' ' + w.d + ', ' + w.y + ', ' + hm;
  }
  function redrawTimes() {
    $$('.comment-meta time[datetime]').forEach(function (e) { e.textContent = fmtDate(e.getAttribute('datetime')); });
  }

  // textNodes turns a plain-text comment into nodes: line breaks kept,
  // links as rel="nofollow ugc" anchors, never parsed as HTML.
  function textNodes(el, body) {
    var re = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
    body.split('\n').forEach(function (line, i) {
      if (i) el.appendChild(document.createElement('br'));
      var last = 0, m;
      while ((m = re.exec(line))) {
        var link = m[0].replace(/[.,;:!?)\]}']+$/, '');
        el.appendChild(document.createTextNode(line.slice(last, m.index)));
        var a = document.createElement('a');
        a.href = /^http/i.test(link) ? link : 'https://' + link;
        a.rel = 'nofollow ugc noopener';
        a.target = '_blank';
        a.textContent = link;
        el.appendChild(a);
        last = m.index + link.length;
        re.lastIndex = last;
      }
      el.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderComment(c) {
    var li = el('li', 'comment');
    li.id = 'comment-' + c.id;
    li.setAttribute('data-id', c.id);
    li.setAttribute('data-author', c.author || '');
    if (c.status === 'deleted' && !c.mine) {
      li.classList.add('comment-deleted');
      li.appendChild(el('p', 'comment-stub', t('deleted')));
    } else if ((c.status === 'removed' || c.status === 'rejected') && !c.mine) {
      li.classList.add('comment-removed');
      li.appendChild(el('p', 'comment-stub', t('removedUnder', { n: c.clause })));
    } else {
      var meta = el('p', 'comment-meta');
      var au = el('strong', 'comment-author');
      if (c.author_url) { var al = el('a', '', c.author); al.href = c.author_url; au.appendChild(al); } else au.textContent = c.author;
      meta.appendChild(au);
      if (c.reply_to) { meta.appendChild(document.createTextNode(' ')); var rt = el('span', 'comment-reply-to', t('replyTo', { name: c.reply_to })); rt.setAttribute('data-name', c.reply_to); meta.appendChild(rt); }
      meta.appendChild(document.createTextNode(' '));
      var time = el('time', '', fmtDate(c.created_at)); time.setAttribute('datetime', c.created_at); meta.appendChild(time);
      if (c.edited) { meta.appendChild(document.createTextNode(' ')); var ed = el('span', 'comment-edited', t('edited')); ed.setAttribute('data-i18n', 'edited'); meta.appendChild(ed); }
      if (c.mine && c.status !== 'approved') {
        var st = el('span', 'comment-own-state state-' + c.status, c.status === 'pending' ? t('pending') : c.status === 'deleted' ? t('deleted') : t('removedUnder', { n: c.clause }));
        meta.appendChild(st);
      }
      li.appendChild(meta);
      if (c.mine && c.reason) li.appendChild(renderReason(c));
      var body = el('div', 'comment-text');
      textNodes(body, c.body || '');
      li.appendChild(body);
      var acts = el('p', 'comment-actions');
      var recs = el('span', 'comment-recs');
      var n = el('span', '', String(c.recommends || 0)); n.setAttribute('data-recs', '');
      recs.appendChild(n); recs.appendChild(document.createTextNode(' '));
      var rl = el('span', '', t('recommended')); rl.setAttribute('data-i18n', 'recommended'); recs.appendChild(rl);
      orderRecs(recs);
      acts.appendChild(recs);
      li.appendChild(acts);
    }
    if (c.mine) li.setAttribute('data-mine', '1');
    if (c.editable_until) li.setAttribute('data-editable-until', c.editable_until);
    li.setAttribute('data-status', c.status);
    li.setAttribute('data-state', stateKey(c));
    li.setAttribute('data-body', c.body || '');
    if (c.replies && c.replies.length) {
      var ol = el('ol', 'comment-replies');
      c.replies.forEach(function (r) { ol.appendChild(renderComment(r)); });
      li.appendChild(ol);
    }
    return li;
  }

  // stateKey changes whenever what the writer is told of their comment
  // changes (status, decision, appeal): the poll redraws just those.
  function stateKey(c) {
    var r = c.reason;
    return c.status + '|' + (r ? r.decision_id + '|' + (r.appeal ? r.appeal.status : '') : '');
  }

  // renderReason is the statement of reasons of the writer's own comment,
  // with the Appeal button for six months after a decision.
  // quoting is the sentence key with a moderator's own words (facts, a
  // reply) set in the paper's language (the page's lang), so a Korean
  // box marks the English words it quotes.
  function quoting(cls, key, vars, name, words) {
    var p = el('p', cls), parts;
    vars[name] = '\u0000';
    parts = t(key, vars).split('\u0000');
    var q = el('span', '', words || '');
    q.setAttribute('lang', document.documentElement.lang || 'en');
    p.appendChild(document.createTextNode(parts[0]));
    p.appendChild(q);
    p.appendChild(document.createTextNode(parts.slice(1).join('')));
    return p;
  }

  function renderReason(c) {
    var r = c.reason, box = el('div', 'comment-reason');
    box.appendChild(quoting('', 'reason', { n: r.clause, id: r.decision_id }, 'facts', r.facts));
    if (r.appeal) {
      var key = r.appeal.status === 'open' ? 'appealOpen' : r.appeal.status === 'reversed' ? 'appealReversed' : 'appealUpheld';
      box.appendChild(el('p', 'appeal-state appeal-' + r.appeal.status, t(key)));
      if (r.appeal.reply) box.appendChild(quoting('appeal-reply', 'appealReply', {}, 'text', r.appeal.reply));
    } else if (r.appeal_until && new Date(r.appeal_until) > new Date()) {
      var b = button(t('appeal'), 'appeal', function () {
        b.hidden = true;
        var id = 'appeal-' + c.id, lab = el('label', '', t('appealWhy')); lab.setAttribute('for', id);
        var ta = el('textarea'); ta.id = id; ta.rows = 2; ta.maxLength = 2000;
        var send = button(t('appealSend'), 'appeal-send', function () {
          send.disabled = true;
          api('POST', '/api/v1/comments/' + c.id + '/appeal', { reason: ta.value }).then(function (res) {
            if (res.ok) { refreshOwn(); return; }
            send.disabled = false;
            var p = el('p', 'comment-msg error', errorText(res)); p.setAttribute('role', 'status'); box.appendChild(p);
          });
        });
        box.appendChild(lab); box.appendChild(ta); box.appendChild(send); ta.focus();
      });
      box.appendChild(b);
    }
    return box;
  }

  function button(label, key, fn) {
    var b = el('button', '', label);
    b.type = 'button';
    b.setAttribute('data-act', key);
    b.addEventListener('click', fn);
    return b;
  }

  // decorate adds the reader's buttons to a comment.
  function decorate(li) {
    var acts = li.querySelector(':scope > .comment-actions');
    if (!acts) return;
    $$('[data-act]', acts).forEach(function (b) { b.remove(); });
    if (!me || li.getAttribute('data-status') === 'deleted') return;
    var id = li.getAttribute('data-id');
    var mine = li.getAttribute('data-mine') === '1';
    var open = root.getAttribute('data-mode') === 'open';
    if (open) acts.appendChild(button(t('reply'), 'reply', function () { startReply(li); }));
    if (!mine) {
      var rb = button(t('recommend'), 'recommend', function () { recommend(li, rb); });
      if (recommended[id]) rb.disabled = true;
      acts.appendChild(rb);
      var rep = button(reported[id] ? t('reportedBtn') : t('report'), 'report', function () { openReport(li, rep); });
      if (reported[id]) rep.disabled = true;
      acts.appendChild(rep);
    } else {
      var until = li.getAttribute('data-editable-until');
      if (until && new Date(until) > new Date()) acts.appendChild(button(t('edit'), 'edit', function () { startEdit(li); }));
      acts.appendChild(button(t('del'), 'delete', function () { del(li); }));
    }
  }
  function decorateAll() { $$('.comment').forEach(decorate); }

  function startReply(li) {
    clearMsg();
    editingID = null;
    var top = li.parentNode.closest ? li.parentNode.closest('.comment') : null;
    parentID = parseInt(li.getAttribute('data-id'), 10);
    var name = li.getAttribute('data-author');
    var r = $('[data-replying]');
    $('[data-replying-text]').textContent = t('replyingTo', { name: name });
    r.hidden = false;
    $('[data-submit]').textContent = t('post');
    void top;
    $('[data-body]').focus();
  }
  function cancelReply() {
    parentID = null; editingID = null;
    var r = $('[data-replying]'); if (r) r.hidden = true;
    var s = $('[data-submit]'); if (s) s.textContent = t('post');
  }
  function startEdit(li) {
    clearMsg();
    parentID = null;
    editingID = li.getAttribute('data-id');
    var ta = $('[data-body]');
    ta.value = li.getAttribute('data-body') || '';
    $('[data-replying-text]').textContent = t('edit');
    $('[data-replying]').hidden = false;
    $('[data-submit]').textContent = t('save');
    updateCounter();
    ta.focus();
  }

  function recommend(li, b) {
    clearMsg();
    b.disabled = true;
    api('POST', '/api/v1/comments/' + li.getAttribute('data-id') + '/recommend').then(function (r) {
      if (r.ok) { recommended[li.getAttribute('data-id')] = true; li.querySelector('[data-recs]').textContent = r.data.recommends; }
      else { say(errorText(r), true); if (r.status === 409) recommended[li.getAttribute('data-id')] = true; else b.disabled = false; }
    });
  }

  function markReported(li, b) {
    reported[li.getAttribute('data-id')] = true;
    if (b) { b.textContent = t('reportedBtn'); b.disabled = true; }
  }

  function openReport(li, b) {
    if (li.querySelector('.comment-report') || reported[li.getAttribute('data-id')]) return;
    clearMsg();
    var f = el('form', 'comment-report');
    var id = 'report-' + li.getAttribute('data-id');
    var lab = el('label', '', t('reportWhy')); lab.setAttribute('for', id);
    var sel = el('select'); sel.id = id; sel.name = 'clause';
    clauses.forEach(function (c) { var o = el('option', '', c.Number + '. ' + c.Title); o.value = c.Number; sel.appendChild(o); });
    var send = el('button', '', t('reportSend')); send.type = 'submit';
    f.appendChild(lab); f.appendChild(document.createTextNode(' ')); f.appendChild(sel); f.appendChild(document.createTextNode(' ')); f.appendChild(send);
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      send.disabled = true;
      api('POST', '/api/v1/comments/' + li.getAttribute('data-id') + '/report', { clause: sel.value }).then(function (r) {
        // 409: this reader reported it before (another tab, an earlier
        // visit); the server refuses a second report.
        if (r.ok || r.status === 409) markReported(li, b);
        var p = el('p', 'comment-msg comment-report-msg' + (r.ok ? '' : ' error'), r.ok ? t('reported') : r.status === 409 ? t('already') : errorText(r));
        p.setAttribute('role', 'status');
        f.replaceWith(p);
      }, function () { send.disabled = false; });
    });
    li.querySelector('.comment-actions').after(f);
    sel.focus();
  }

  function del(li) {
    clearMsg();
    if (!window.confirm(t('confirmDelete'))) return;
    api('DELETE', '/api/v1/comments/' + li.getAttribute('data-id')).then(function (r) {
      if (!r.ok) { say(errorText(r), true); return; }
      var replies = li.querySelector('.comment-replies');
      if (replies) {
        li.setAttribute('data-status', 'deleted');
        Array.prototype.slice.call(li.children).forEach(function (c) { if (c !== replies) c.remove(); });
        li.insertBefore(el('p', 'comment-stub', t('deleted')), replies);
      } else li.remove();
      updateSort();
    });
  }

  function share(v) {
    var box = $('[data-share]');
    if (!box || !v.share) return;
    box.textContent = '';
    box.appendChild(document.createTextNode(t('share') + ' '));
    [['X', v.share.x], ['Facebook', v.share.facebook], [t('email'), v.share.email]].forEach(function (p) {
      var a = el('a', '', p[0]); a.href = p[1];
      if (p[1].indexOf('mailto:') !== 0) { a.target = '_blank'; a.rel = 'noopener'; }
      box.appendChild(a);
    });
    box.hidden = false;
  }

  function insert(v) {
    var li = renderComment(v);
    var empty = $('[data-empty]'); if (empty) empty.remove();
    if (v.parent_id) {
      var parent = document.getElementById('comment-' + v.parent_id);
      if (parent) {
        var ol = parent.querySelector(':scope > .comment-replies');
        if (!ol) { ol = el('ol', 'comment-replies'); parent.appendChild(ol); }
        ol.appendChild(li);
      }
    } else {
      var list = $('[data-list]');
      list.insertBefore(li, list.firstChild);
    }
    decorate(li);
    updateSort();
    return li;
  }

  // updateSort shows the sort buttons only when there is something to
  // sort: two comments or more (or more to load).
  function updateSort() {
    var box = $('[data-sort]'), more = $('[data-more]');
    if (!box || !started) return;
    box.hidden = !($$('[data-list] > .comment').length >= 2 || (more && !more.hidden));
  }

  function submit(ev) {
    ev.preventDefault();
    var ta = $('[data-body]'), btn = $('[data-submit]');
    if (!me || btn.disabled) return;
    btn.disabled = true;
    clearMsg();
    var wasEdit = !!editingID;
    var req = editingID ? api('PATCH', '/api/v1/comments/' + editingID, { body: ta.value })
      : api('POST', '/api/v1/articles/' + articleID + '/comments', { body: ta.value, parent_id: parentID });
    req.then(function (r) {
      btn.disabled = false;
      if (!r.ok) { say(errorText(r), true); return; }
      var v = r.data;
      if (editingID) {
        var old = document.getElementById('comment-' + v.id);
        if (old) { var keep = old.querySelector(':scope > .comment-replies'); var nu = renderComment(v); if (keep) nu.appendChild(keep); old.replaceWith(nu); decorate(nu); }
      } else {
        insert(v);
        share(v);
        var cnt = $('[data-count]');
        if (v.status === 'approved' && cnt) cnt.textContent = (parseInt(cnt.textContent, 10) || 0) + 1;
      }
      if (wasEdit) say(v.status === 'pending' ? t('heldEdit') : t('saved'));
      else say(v.status === 'pending' ? t('held') : t('posted'));
      // A held comment: fetch its statement of reasons, and keep checking.
      if (v.status === 'pending') refreshOwn();
      ta.value = '';
      cancelReply();
      updateCounter();
    }, function () { btn.disabled = false; say(t('failed'), true); });
  }

  function load(offset, replace) {
    api('GET', '/api/v1/articles/' + articleID + '/comments?sort=' + sort + '&offset=' + offset).then(function (r) {
      if (!r.ok) return;
      var list = $('[data-list]');
      if (replace) list.textContent = '';
      r.data.comments.forEach(function (c) { if (!document.getElementById('comment-' + c.id)) { var li = renderComment(c); list.appendChild(li); decorate(li); } });
      var more = $('[data-more]');
      if (r.data.next_offset) { more.hidden = false; more.setAttribute('data-offset', r.data.next_offset); } else more.hidden = true;
      showOwn();
      updateSort();
    });
  }

  var own = [];
  function showOwn() {
    // The reader's own comments that others do not see (pending, removed)
    // appear with their state instead of vanishing silently.
    own.forEach(function (c) {
      var cur = document.getElementById('comment-' + c.id);
      if (cur && cur.getAttribute('data-state') && cur.getAttribute('data-state') !== stateKey(c) && cur.getAttribute('data-mine')) {
        // What the writer is told changed (a moderator decided, an appeal
        // was answered): redraw the comment.
        var re = renderComment(c); var kept = cur.querySelector(':scope > .comment-replies'); if (kept) re.appendChild(kept); cur.replaceWith(re); decorate(re); return;
      }
      if (cur && c.status === 'approved') { cur.setAttribute('data-mine', '1'); if (c.editable_until) cur.setAttribute('data-editable-until', c.editable_until); cur.setAttribute('data-body', c.body); decorate(cur); return; }
      if (cur) { var nu = renderComment(c); var keep = cur.querySelector(':scope > .comment-replies'); if (keep) nu.appendChild(keep); cur.replaceWith(nu); decorate(nu); return; }
      if (c.status === 'deleted') return;
      if (c.parent_id && !document.getElementById('comment-' + c.parent_id)) return;
      insert(c);
    });
  }

  function init(data) {
    me = data.reader;
    clauses = data.clauses || [];
    (data.recommended || []).forEach(function (id) { recommended[id] = true; });
    own = data.own || [];
    // A language asked for in the address (?lang=ko: the server drew
    // the box in it) wins over the cookie; applyLang then keeps it.
    var asked = root.getAttribute('data-page-lang');
    lang = asked === 'ko' || asked === 'en' ? asked : (data.lang === 'ko' ? 'ko' : 'en');
    if (data.mode) root.setAttribute('data-mode', data.mode);
    // A moderation rule on this article (held, closed) says why by the box.
    var old = $('[data-rule-msg]'); if (old) old.remove();
    if (data.rule_message) {
      var rm = el('p', 'comment-rule', data.rule_message); rm.setAttribute('data-rule-msg', '');
      var fm = $('[data-form]');
      if (fm && fm.parentNode) fm.parentNode.insertBefore(rm, fm); else root.appendChild(rm);
    }
    var langs = $('[data-langs]'); if (langs) langs.hidden = false;
    var links = $('[data-langlinks]'); if (links) links.hidden = true;
    started = true;
    var more = $('[data-more]'); if (more && parseInt(more.getAttribute('data-offset'), 10) > 0) more.hidden = false;
    var ta = $('[data-body]');
    if (me && ta) {
      $('[data-login]').hidden = true;
      $('[data-signed]').hidden = false;
      $('[data-name]').textContent = me.name;
      if (me.banned_until) { say(t('banned', { until: me.banned_until }), true); }
      else if (root.getAttribute('data-mode') === 'open') { ta.disabled = false; $('[data-submit]').disabled = false; }
    }
    applyLang();
    showOwn();
    updateSort();
  }

  // Wiring.
  var form = $('[data-form]');
  if (form) form.addEventListener('submit', submit);
  var ta0 = $('[data-body]');
  if (ta0) ta0.addEventListener('input', function () {
    // Typing the next draft ends the last post's message and share
    // links; an error stays until the reader acts again.
    var m = $('[data-msg]');
    if (!(m && m.textContent && m.classList.contains('error'))) clearMsg();
    updateCounter();
  });
  var cancel = $('[data-cancel-reply]');
  if (cancel) cancel.addEventListener('click', function () { clearMsg(); cancelReply(); });
  $$('[data-lang]').forEach(function (b) { b.addEventListener('click', function () { lang = b.getAttribute('data-lang'); applyLang(); }); });
  $$('[data-sort-by]').forEach(function (b) {
    b.addEventListener('click', function () {
      clearMsg();
      sort = b.getAttribute('data-sort-by');
      $$('[data-sort-by]').forEach(function (x) { x.setAttribute('aria-pressed', x === b ? 'true' : 'false'); });
      load(0, true);
    });
  });
  var moreBtn = $('[data-more]');
  if (moreBtn) moreBtn.addEventListener('click', function () { load(parseInt(moreBtn.getAttribute('data-offset'), 10) || 0, false); });
  // The server names the replied-to writer in data-name (the text is
  // "@name" in English, "@name님에게 답글" in Korean).
  $$('.comment-reply-to').forEach(function (e) { if (!e.hasAttribute('data-name')) e.setAttribute('data-name', e.textContent.replace(/^.*@/, '')); });

  api('GET', '/api/v1/me?article_id=' + encodeURIComponent(articleID)).then(function (r) { if (r.ok) init(r.data); });

  // refreshOwn asks again for the writer's own comments; while one waits
  // for a moderator or an appeal is open it runs every 30 s, so a
  // decision reaches the page within a minute.
  function refreshOwn() {
    api('GET', '/api/v1/me?article_id=' + encodeURIComponent(articleID)).then(function (r) {
      if (!r.ok || !r.data) return;
      own = r.data.own || [];
      showOwn();
    });
  }
  setInterval(function () {
    if (!me || document.hidden) return;
    var waiting = own.some(function (c) { return c.status === 'pending' || (c.reason && c.reason.appeal && c.reason.appeal.status === 'open'); });
    if (waiting) refreshOwn();
  }, 30000);
})();
