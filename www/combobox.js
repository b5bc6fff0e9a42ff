// An editable combobox with a listbox popup (WAI-ARIA 1.2 combobox pattern, "list autocomplete with manual
// selection"), made from an existing <input> in place so the form's own event handling keeps working.
//
// The input gets role="combobox", aria-autocomplete="list", aria-expanded, aria-controls and, while an
// option is active, aria-activedescendant. ArrowDown/ArrowUp move through the suggestions (ArrowDown opens
// them), Enter chooses the active one, Escape closes, Tab closes and moves on; a click or tap on a
// suggestion chooses it. A polite live region says how many suggestions there are. Choosing sets the
// input's value and fires a bubbling "change" event, so the form handles it exactly like a typed value.
//
// No inline styles or scripts (the portal runs under a strict CSP): looks come from style.css classes.

let counter = 0;

/**
 * Turns `input` into a combobox.
 * @param {HTMLInputElement} input
 * @param {object} o
 * @param {(query: string) => Array<{value: string, parts: Array<{text: string, class?: string, lang?: string}>}>} o.suggest
 * @param {string} o.listLabel  the listbox's accessible name
 * @param {(n: number) => string} o.countText  the live region's text for n suggestions
 * @param {(value: string) => void} [o.onChoose]  called after a suggestion was chosen
 * @returns {{close: () => void, destroy: () => void}}
 */
export function combobox(input, o) {
  const listId = `${input.id || `combo-${++counter}`}-list`;
  const list = document.createElement('ul');
  list.id = listId;
  list.className = 'combo-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', o.listLabel);
  list.hidden = true;
  const status = document.createElement('div');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  status.setAttribute('aria-atomic', 'true');

  const wrap = document.createElement('div');
  wrap.className = 'combo';
  // Moving the field out of the page would drop the keyboard focus and caret of someone typing in it when
  // the catalog arrives: both are put back.
  const focused = document.activeElement === input;
  const [selStart, selEnd] = [input.selectionStart, input.selectionEnd];
  input.replaceWith(wrap);
  wrap.append(input, list, status);
  if (focused) {
    input.focus({ preventScroll: true });
    try {
      input.setSelectionRange(selStart, selEnd);
    } catch {
      // not a text field that has a selection
    }
  }

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('autocomplete', 'off');

  let items = [];
  let active = -1;
  let statusTimer = 0;

  function say(text) {
    clearTimeout(statusTimer);
    // A short pause so a fast typist hears the count once, not at every keystroke.
    statusTimer = setTimeout(() => {
      status.textContent = text;
    }, 400);
  }

  function setActive(i) {
    const options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = i;
    if (i >= 0 && options[i]) {
      options[i].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function close() {
    clearTimeout(statusTimer);
    if (list.hidden && items.length === 0) return;
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function open(query) {
    items = query.trim() === '' ? [] : o.suggest(query);
    active = -1;
    input.removeAttribute('aria-activedescendant');
    list.replaceChildren(
      ...items.map((item, i) => {
        const li = document.createElement('li');
        li.id = `${listId}-${i}`;
        li.className = 'combo-option';
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.value = item.value;
        for (const part of item.parts) {
          const span = document.createElement('span');
          span.textContent = part.text;
          if (part.class) span.className = part.class;
          if (part.lang) span.lang = part.lang;
          li.append(span);
        }
        return li;
      }),
    );
    const shown = items.length > 0;
    const opening = shown && list.hidden;
    list.hidden = !shown;
    // On a small screen, scroll so the suggestions can be seen (the input goes near the top), once the
    // keystroke's other changes to the page are laid out (else scroll anchoring moves it again).
    if (opening) {
      requestAnimationFrame(() => {
        if (!list.hidden && list.getBoundingClientRect().bottom > window.innerHeight) input.scrollIntoView({ block: 'start' });
      });
    }
    input.setAttribute('aria-expanded', String(shown));
    if (query.trim() !== '') say(o.countText(items.length));
    else status.textContent = '';
  }

  function choose(i) {
    const item = items[i];
    if (!item) return;
    input.value = item.value;
    close();
    input.dispatchEvent(new Event('change', { bubbles: true }));
    o.onChoose?.(item.value);
  }

  const onInput = () => open(input.value);
  const onKey = (e) => {
    // An IME (pinyin) is still composing: its keys are not for us (Safari reports the Enter that confirms a
    // candidate with isComposing false but keyCode 229).
    if (e.isComposing || e.keyCode === 229) return;
    const expanded = !list.hidden;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!expanded) {
          open(input.value);
          if (items.length > 0) setActive(0);
        } else setActive(active + 1 >= items.length ? 0 : active + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!expanded) {
          open(input.value);
          if (items.length > 0) setActive(items.length - 1);
        } else setActive(active <= 0 ? items.length - 1 : active - 1);
        break;
      case 'Enter':
        if (expanded && active >= 0) {
          e.preventDefault();
          choose(active);
        }
        break;
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          close();
        }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  };
  // Keeps the focus in the input while a suggestion is pressed (mouse or touch), then chooses it on click.
  const onDown = (e) => e.preventDefault();
  const onClick = (e) => {
    const li = e.target.closest('[role="option"]');
    if (li) choose([...list.children].indexOf(li));
  };
  const onBlur = () => close();

  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', onBlur);
  list.addEventListener('pointerdown', onDown);
  list.addEventListener('mousedown', onDown);
  list.addEventListener('click', onClick);

  return {
    close,
    destroy() {
      close();
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onKey);
      input.removeEventListener('blur', onBlur);
      for (const a of ['role', 'aria-autocomplete', 'aria-expanded', 'aria-controls', 'aria-activedescendant']) input.removeAttribute(a);
      wrap.replaceWith(input);
    },
  };
}
