// The admin page: reads the /__admin routes, draws users, shared drives, folder trees, version
// timelines, the journal, fault rules and the clock, and polls them while tests run.
// Plain script, no framework, nothing from the network. Every list is one page of the server's
// own paging, so the page stays fast on a 10^4-file store or a 10^5-version history.
"use strict";

const POLL_MS = 1500;
const TREE_PAGE = 100;
const LIST_PAGE = 50;
const TOKEN_KEY = "restore-mock-admin-token";

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  paused: false,
  needToken: false,
  users: { offset: 0, page: null },
  drives: { offset: 0, page: null },
  // Expanded folders in the tree: id -> the offset of the page shown.
  expanded: new Map(),
  childPages: new Map(),
  selected: null,
  item: null,
  itemError: null,
  children: { offset: 0, page: null },
  timeline: { offset: 0, order: "newest", page: null, focus: null },
  // Which versions' hash panels the reader opened, kept open across redraws.
  openDetails: new Set(),
  journal: { offset: 0, filter: {}, page: null, total: null, unseen: 0, error: null },
  faults: null,
  deliveries: null,
  clock: null,
};

// ---- small helpers -------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** An element with attributes (`on*` ones become listeners) and children (strings as text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function fmtTime(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+/, "") : "";
}

function fmtBytes(n) {
  if (n < 1024) return n + " B";
  const units = ["KiB", "MiB", "GiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return value.toFixed(value < 10 ? 1 : 0) + " " + units[unit];
}

function person(p) {
  return p ? p.name + " (" + p.id + ")" : "";
}

function faceName(face) {
  return face === "graph" ? "OneDrive (Graph)" : "Box";
}

/** How each face names a version: Graph's label `N.0`, Box's `version_number`. */
function versionLabel(face, number, minor) {
  return face === "graph" ? number + "." + (minor || 0) : String(number);
}

/**
 * Replaces a region's content only when its data changed, and gives focus back to the element
 * with the same `data-key`: polling never moves the reader's focus or scroll position.
 */
function renderInto(container, key, build) {
  if (container.dataset.rendered === key) return;
  const active = document.activeElement;
  const focusKey = active && container.contains(active) ? active.dataset.key : null;
  container.replaceChildren(...[build()].flat(Infinity).filter((n) => n !== null && n !== undefined));
  container.dataset.rendered = key;
  if (focusKey) {
    const again = container.querySelector('[data-key="' + CSS.escape(focusKey) + '"]');
    if (again) again.focus({ preventScroll: true });
  }
}

function pager(label, page, offset, limit, go) {
  if (!page || page.total <= limit) {
    return page ? h("p", { class: "quiet" }, page.total + " " + label) : [];
  }
  const first = page.total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, page.total);
  return h("p", { class: "pager-row" },
    h("button", {
      type: "button", disabled: offset === 0, dataset: { key: label + "-prev" },
      onclick: () => go(Math.max(0, offset - limit)),
    }, "Previous"),
    " " + label + " " + first + "–" + last + " of " + page.total + " ",
    h("button", {
      type: "button", disabled: last >= page.total, dataset: { key: label + "-next" },
      onclick: () => go(offset + limit),
    }, "Next"));
}

// ---- the admin API -------------------------------------------------------------------------

class NeedToken extends Error {}

async function api(path) {
  const headers = { accept: "application/json" };
  if (state.token) headers.authorization = "Bearer " + state.token;
  const response = await fetch(path, { headers, cache: "no-store" });
  if (response.status === 401) throw new NeedToken();
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : "HTTP " + response.status);
    error.status = response.status;
    throw error;
  }
  return body;
}

function query(params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== "" && v !== undefined);
  return pairs.length ? "?" + new URLSearchParams(pairs).toString() : "";
}

// ---- loading -------------------------------------------------------------------------------

async function load() {
  const jobs = [
    api("/__admin/clock").then((c) => { state.clock = c; }),
    api("/__admin/faults").then((f) => { state.faults = f.faults; }),
    api("/__admin/deliveries" + query({ order: "newest", limit: LIST_PAGE }))
      .then((d) => { state.deliveries = d; }),
    api("/__admin/users" + query({ offset: state.users.offset, limit: LIST_PAGE }))
      .then((p) => { state.users.page = p; }),
    api("/__admin/drives" + query({ offset: state.drives.offset, limit: LIST_PAGE }))
      .then((p) => { state.drives.page = p; }),
    loadJournal(),
  ];
  for (const [id, offset] of state.expanded) {
    jobs.push(api("/__admin/items/" + id + "/children" + query({ offset, limit: TREE_PAGE }))
      .then((p) => state.childPages.set(id, p))
      .catch((e) => {
        if (e instanceof NeedToken) throw e;
        state.expanded.delete(id);
        state.childPages.delete(id);
      }));
  }
  if (state.selected !== null) jobs.push(loadItem());
  await Promise.all(jobs);
}

async function loadItem() {
  const id = state.selected;
  try {
    const item = await api("/__admin/items/" + id);
    state.item = item;
    state.itemError = null;
    if (item.type === "folder") {
      state.children.page = await api("/__admin/items/" + id + "/children" +
        query({ offset: state.children.offset, limit: LIST_PAGE }));
    } else {
      const t = state.timeline;
      t.page = await api("/__admin/items/" + id + "/versions" +
        query({ offset: t.offset, limit: LIST_PAGE, order: t.order }));
    }
  } catch (e) {
    if (e instanceof NeedToken) throw e;
    state.item = null;
    state.itemError = "Item " + id + ": " + e.message;
  }
}

async function loadJournal() {
  const j = state.journal;
  const fetchPage = (offset) => api("/__admin/requests" +
    query({ ...j.filter, order: "newest", offset, limit: LIST_PAGE }));
  let page;
  try {
    page = await fetchPage(j.offset);
    j.error = null;
  } catch (e) {
    // A filter the route refuses (a status that is not a number) is the reader's to fix.
    if (e instanceof NeedToken || e.status !== 400) throw e;
    j.error = "The journal refused this filter: " + e.message;
    j.page = { total: 0, offset: 0, requests: [] };
    return;
  }
  // Away from the first page, new requests would push the rows the reader is looking at down
  // by one page position each; move the window along with them instead.
  if (j.offset > 0 && j.total !== null && page.total > j.total) {
    const grown = page.total - j.total;
    j.unseen += grown;
    j.offset += grown;
    page = await fetchPage(j.offset);
  }
  if (j.offset === 0) j.unseen = 0;
  j.total = page.total;
  j.page = page;
}

// ---- drawing -------------------------------------------------------------------------------

function render() {
  $("login").hidden = !state.needToken;
  $("main").hidden = state.needToken;
  if (state.needToken) return;
  if (state.clock) {
    $("clock").textContent = "Clock: " + fmtTime(state.clock.now) +
      (state.clock.frozen ? " (frozen)" : " (running)");
  }
  renderTree();
  renderDrives();
  renderItem();
  renderJournal();
  renderDeliveries();
  renderFaults();
}

function renderTree() {
  const page = state.users.page;
  if (!page) return;
  const key = JSON.stringify([page, [...state.childPages], [...state.expanded], state.selected]);
  renderInto($("users"), key, () => page.users.length === 0
    ? h("li", { class: "quiet" }, "No users yet: a token signs in on first use, or load a fixture.")
    : page.users.map((user) => h("li", { class: "user" },
      h("h3", {}, user.name, h("span", { class: "quiet" }, " " + user.login + " · id " + user.id)),
      user.spaces.length === 0
        ? h("p", { class: "quiet" }, "No spaces yet.")
        : h("ul", { role: "group" }, user.spaces.map((space) =>
          folderNode({ id: space.root, name: faceName(space.face), type: "folder", root: true }))))));
  renderInto($("users-pager"), JSON.stringify([page.total, state.users.offset]),
    () => pager("users", page, state.users.offset, LIST_PAGE, (offset) => {
      state.users.offset = offset;
      refresh();
    }));
}

/** Graph's shared drives, by site: each library opens the same folder tree as a user's space. */
function renderDrives() {
  const page = state.drives.page;
  if (!page) return;
  const key = JSON.stringify([page, [...state.childPages], [...state.expanded], state.selected]);
  renderInto($("drives"), key, () => page.drives.length === 0
    ? h("li", { class: "quiet" }, "No shared drives: a group or site is made on first use, or by a fixture.")
    : page.drives.map((drive) => h("li", { class: "drive" },
      h("h3", {}, drive.site.display_name + " · " + drive.name,
        h("span", { class: "quiet" }, " site " + drive.site.name +
          (drive.group ? " · group " + drive.group.name + " (" + drive.group.id + ")" : "") +
          " · members " + (drive.members ? drive.members.join(", ") || "none" : "everyone") +
          " · id " + drive.id)),
      drive.root === null
        ? h("p", { class: "quiet" }, "Not used yet.")
        : h("ul", { role: "group" },
          folderNode({ id: drive.root, name: drive.name, type: "folder", root: true })))));
  renderInto($("drives-pager"), JSON.stringify([page.total, state.drives.offset]),
    () => pager("drives", page, state.drives.offset, LIST_PAGE, (offset) => {
      state.drives.offset = offset;
      refresh();
    }));
}

function folderNode(node) {
  const isFolder = node.type === "folder";
  const open = state.expanded.has(node.id);
  const label = isFolder
    ? node.name + (node.root ? "" : "/")
    : node.name + " · " + node.version_count + (node.version_count === 1 ? " version" : " versions");
  const button = h("button", {
    type: "button",
    class: "node" + (state.selected === node.id ? " selected" : ""),
    "aria-expanded": isFolder ? String(open) : null,
    "aria-current": state.selected === node.id ? "true" : null,
    dataset: { key: "tree-" + node.id, tree: "", id: node.id, folder: isFolder ? "1" : "" },
    onclick: () => {
      if (isFolder) toggleFolder(node.id, !open || state.selected !== node.id);
      select(node.id);
    },
  }, h("span", { class: "twisty", "aria-hidden": "true" }, isFolder ? (open ? "▾" : "▸") : "·"),
  " ", label);
  const li = h("li", {}, button);
  if (isFolder && open) {
    const page = state.childPages.get(node.id);
    if (page) {
      const offset = state.expanded.get(node.id);
      li.append(h("ul", { role: "group" },
        page.children.map(folderNode),
        page.children.length === 0 ? h("li", { class: "quiet" }, "empty") : null));
      if (page.total > TREE_PAGE) {
        li.append(pager("items", page, offset, TREE_PAGE, (next) => {
          state.expanded.set(node.id, next);
          refresh();
        }));
      }
    }
  }
  return li;
}

function toggleFolder(id, open) {
  if (open) {
    if (!state.expanded.has(id)) state.expanded.set(id, 0);
  } else {
    state.expanded.delete(id);
    state.childPages.delete(id);
  }
}

function select(id) {
  // The address names the selected item, so a reload or a shared link opens it again.
  history.replaceState(null, "", "#item=" + id);
  if (state.selected !== id) {
    state.selected = id;
    state.children.offset = 0;
    state.timeline.offset = 0;
    state.timeline.focus = null;
    state.item = null;
  }
  refresh();
}

function renderItem() {
  const item = state.item;
  if (state.itemError) {
    $("item-heading").textContent = "Item not available";
    $("item-hint").textContent = state.itemError;
    $("item-hint").hidden = false;
    $("crumbs").replaceChildren();
    $("item-meta").replaceChildren();
    $("item-box").replaceChildren();
    $("item-box").dataset.rendered = "";
    $("item-body").replaceChildren();
    $("item-body").dataset.rendered = "";
    return;
  }
  if (!item) return;
  $("item-hint").hidden = true;
  $("item-heading").textContent = item.parent === null ? faceName(item.face) + " root" : item.name;
  renderInto($("crumbs"), JSON.stringify(item.path), () => item.path.map((a, i) =>
    h("li", {}, h("button", {
      type: "button", class: "link", dataset: { key: "crumb-" + a.id },
      onclick: () => select(a.id),
    }, i === 0 ? faceName(item.face) : a.name))));
  const facts = item.type === "folder"
    ? [item.child_count + (item.child_count === 1 ? " item" : " items")]
    : [item.version_count + (item.version_count === 1 ? " version" : " versions"),
      fmtBytes(item.size), item.mime_type];
  $("item-meta").replaceChildren(...[h("p", { class: "meta" },
    (item.type === "folder" ? "Folder" : "File") + " on " + faceName(item.face) + " · owner " +
    person(item.owner) + " · id " + item.id + " · " + facts.join(" · ")),
  // A trashed item is in no folder, so the tree does not show it; a journal link still can.
  item.trashed_at ? h("p", { class: "trash" }, "In the trash: put there by " +
    person(item.trashed_by) + " at " + fmtTime(item.trashed_at)) : null].filter(Boolean));
  renderInto($("item-box"), JSON.stringify(boxSide(item)), () => boxRows(item));
  if (item.type === "folder") renderChildren(item);
  else renderTimeline(item);
}

/** The keys `GET /__admin/items/{id}` gives a Box item beside its own (each only when set). */
function boxSide(item) {
  const { description, tags, favorited_by, shared_link, lock, metadata, comment_count, collaborators } = item;
  return { id: item.id, description, tags, favorited_by, shared_link, lock, metadata, comment_count, collaborators };
}

/** A Box item's description, tags, Favorites, shared link, lock, metadata and comments as term rows. */
function boxRows(item) {
  const row = (key, term, ...details) =>
    [h("dt", { dataset: { key: "box-" + key } }, term), h("dd", { dataset: { box: key } }, ...details)];
  const rows = [];
  if (item.description) rows.push(row("description", "Description", item.description));
  if (item.tags) rows.push(row("tags", "Tags", item.tags.join(", ")));
  if (item.favorited_by) rows.push(row("favorites", "In Favorites of", item.favorited_by.map(person).join(", ")));
  const link = item.shared_link;
  if (link) {
    const perms = [link.can_download ? "can download" : "preview only", link.can_edit ? "can edit" : null];
    rows.push(row("shared-link", "Shared link",
      h("a", { href: link.url, class: link.live ? null : "lapsed" }, link.url), " · ",
      link.access + " access · " + perms.filter(Boolean).join(", ") +
      (link.is_password_enabled ? " · password" : "") +
      (link.unshared_at ? " · until " + fmtTime(link.unshared_at) : "") +
      (link.live ? "" : " · opens nothing now") + " · by " + person(link.created_by)));
  }
  const lock = item.lock;
  if (lock) {
    rows.push(row("lock", "Lock", "Locked by " + person(lock.created_by) + " at " +
      fmtTime(lock.created_at) + (lock.expires_at ? " until " + fmtTime(lock.expires_at) : "") +
      (lock.is_download_prevented ? " · download prevented" : "")));
  }
  for (const m of item.metadata || []) {
    const values = Object.entries(m.values).map(([k, v]) =>
      k + " = " + (Array.isArray(v) ? v.join(", ") : String(v)));
    rows.push(row("metadata-" + m.scope + "." + m.template, "Metadata: " + m.display_name,
      h("code", {}, m.scope + "." + m.template), " v" + m.version + (values.length ? " · " : ""),
      values.join("; ")));
  }
  if (item.comment_count) {
    rows.push(row("comments", "Comments", item.comment_count + (item.comment_count === 1 ? " comment" : " comments")));
  }
  // Box collaborations set on the item: who, with which role, and whether still pending.
  if (item.collaborators) {
    rows.push(row("collaborators", "Collaborators", item.collaborators.map((c) =>
      (c.user ? person(c.user) : c.invite_email) + " as " + c.role +
      (c.status === "accepted" ? "" : " (" + c.status + ")")).join(", ")));
  }
  return rows;
}

function renderChildren(item) {
  const page = state.children.page;
  if (!page) return;
  renderInto($("item-body"), JSON.stringify(["folder", item.id, page]), () => [
    h("h3", {}, "Contents"),
    page.children.length === 0 ? h("p", { class: "quiet" }, "This folder is empty.") :
      h("div", { class: "scroll" }, h("table", {},
        h("thead", {}, h("tr", {},
          ["Name", "Type", "Versions", "Size", "Modified"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, page.children.map((child) => h("tr", {},
          h("td", {}, h("button", {
            type: "button", class: "link", dataset: { key: "child-" + child.id },
            onclick: () => select(child.id),
          }, child.name)),
          h("td", {}, child.type),
          h("td", {}, child.type === "file" ? child.version_count : ""),
          h("td", {}, child.type === "file" ? fmtBytes(child.size) : child.child_count + " items"),
          h("td", {}, fmtTime(child.modified_at))))))),
    pager("items", page, state.children.offset, LIST_PAGE, (offset) => {
      state.children.offset = offset;
      refresh();
    }),
  ]);
}

function renderTimeline(item) {
  const t = state.timeline;
  const page = t.page;
  if (!page || page.item !== item.id) return;
  // Download links are signed afresh on every read (valid for an hour); redrawing for a new
  // signature alone would redraw the timeline on every poll, so they count every ten minutes.
  const signedAt = Math.floor(Date.now() / 600000);
  const key = JSON.stringify(["file", page, signedAt], (k, v) => (k === "download_url" ? undefined : v));
  renderInto($("item-body"), key, () => [
    h("h3", {}, "Version timeline"),
    h("p", { class: "controls" },
      h("button", {
        type: "button", dataset: { key: "order" }, "aria-pressed": String(t.order === "oldest"),
        onclick: () => {
          t.order = t.order === "newest" ? "oldest" : "newest";
          t.offset = 0;
          refresh();
        },
      }, t.order === "newest" ? "Newest first (show oldest first)" : "Oldest first (show newest first)")),
    pager("versions", page, t.offset, LIST_PAGE, (offset) => {
      t.offset = offset;
      refresh();
    }),
    h("ol", { class: "timeline", "aria-label": "Versions of " + item.name },
      page.versions.flatMap((v) => {
        // A deleted version sat between this one and the one before it (older).
        const marks = (v.deleted_before || []).map((d) => deletedMark(item, d));
        const entry = versionEntry(item, v);
        return t.order === "newest" ? [entry, ...marks.reverse()] : [...marks, entry];
      })),
  ]);
  if (t.focus !== null) {
    const target = document.getElementById("v-" + t.focus);
    if (target) {
      target.focus();
      t.focus = null;
    }
  }
}

/** Where a deleted version was: its label, who deleted it and when. */
function deletedMark(item, d) {
  const label = versionLabel(item.face, d.number, d.minor);
  return h("li", { class: "deleted-mark", dataset: { key: "deleted-" + label } },
    "Version " + label + " deleted by " + person(d.deleted_by) + " at " + fmtTime(d.deleted_at));
}

function versionEntry(item, v) {
  const label = versionLabel(item.face, v.number, v.minor);
  const tags = [
    v.current ? h("span", { class: "tag current" }, "current") : null,
    v.trashed_at ? h("span", { class: "tag trashed" }, "trashed") : null,
    v.restored_from ? h("span", { class: "tag copy" }, "restored copy") : null,
    v.copied_from ? h("span", { class: "tag copy" }, "copy") : null,
    v.checked_in != null ? h("span", { class: "tag checkin", title: v.checked_in },
      v.checked_in ? "checked in: " + v.checked_in : "checked in") : null,
  ];
  const classes = ["version", v.current && "is-current", v.trashed_at && "is-trashed",
    v.restored_from && "is-copy"].filter(Boolean).join(" ");
  const details = "hashes-" + v.id;
  return h("li", { class: classes, id: "v-" + v.id, tabindex: "-1", dataset: { key: "v-" + v.id } },
    h("h4", {}, h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "title" }, "Version " + label), " ", tags),
    h("p", { class: "made" },
      h("span", { class: "author" }, person(v.created_by)), " · ",
      h("time", { datetime: v.created_at }, fmtTime(v.created_at)), " · ",
      fmtBytes(v.size), " · ", v.name),
    v.restored_from ? h("p", { class: "source" },
      h("span", { "aria-hidden": "true" }, "⤴ "),
      "Copies the bytes of ",
      h("a", {
        href: "#v-" + v.restored_from.id, dataset: { key: "src-" + v.id },
        onclick: (event) => {
          event.preventDefault();
          showVersion(v.restored_from);
        },
      }, "version " + versionLabel(item.face, v.restored_from.number, v.restored_from.minor))) : null,
    v.copied_from ? h("p", { class: "source copied" },
      h("span", { "aria-hidden": "true" }, "⤴ "),
      "Copied from ",
      v.copied_from.item !== null
        ? h("a", {
          href: "#item=" + v.copied_from.item, dataset: { key: "copied-" + v.id },
          onclick: (event) => {
            event.preventDefault();
            select(v.copied_from.item);
          },
        }, v.copied_from.name)
        : h("span", { title: "the source file is gone" }, v.copied_from.name + " (deleted)")) : null,
    v.trashed_at ? h("p", { class: "trash" },
      "Trashed by " + person(v.trashed_by) + " at " + fmtTime(v.trashed_at)) : null,
    v.restored_at ? h("p", { class: "restored" },
      "Restored from the trash by " + person(v.restored_by) + " at " + fmtTime(v.restored_at)) : null,
    h("p", { class: "actions" },
      h("a", { href: v.download_url, download: v.name, dataset: { key: "dl-" + v.id } },
        "Download version " + label)),
    h("details", {
      open: state.openDetails.has(details),
      ontoggle: (event) => {
        if (event.target.open) state.openDetails.add(details);
        else state.openDetails.delete(details);
      },
    },
    h("summary", { dataset: { key: "sum-" + v.id } }, "Hashes and id"),
    h("dl", {}, [["SHA-1", v.sha1], ["SHA-256", v.sha256], ["QuickXorHash", v.quick_xor],
      ["Version id", v.id], ["Size", v.size + " bytes"]]
      .map(([k, val]) => [h("dt", {}, k), h("dd", {}, String(val))]))));
}

/** Brings a version into view: on this page, or on the page of the timeline that holds it. */
function showVersion(source) {
  const t = state.timeline;
  const total = t.page.total;
  const index = t.order === "newest" ? total - 1 - source.position : source.position;
  t.offset = Math.floor(index / LIST_PAGE) * LIST_PAGE;
  t.focus = source.id;
  const here = document.getElementById("v-" + source.id);
  if (here) {
    here.focus();
    t.focus = null;
  } else {
    refresh();
  }
}

function renderJournal() {
  const j = state.journal;
  const page = j.page;
  if (!page) return;
  renderInto($("requests").tBodies[0], JSON.stringify(page), () => page.requests.length === 0
    ? h("tr", {}, h("td", { colspan: "8", class: "quiet" }, "No requests recorded."))
    : page.requests.map((r) => h("tr", { class: r.status >= 400 ? "failed" : "" },
      h("td", {}, fmtTime(r.time)),
      h("td", {}, r.api),
      h("td", {}, r.method),
      h("td", { class: "path" }, r.path + (r.query ? "?" + r.query : ""),
        // What the real service might hold against the request (a fragment off Graph's grid).
        r.warning ? h("span", { class: "tag warning", title: r.warning },
          "warning", h("span", { class: "visually-hidden" }, ": " + r.warning)) : null),
      h("td", {}, String(r.status), r.status >= 400 ? h("span", { class: "visually-hidden" }, " (failed)") : null),
      // An app's token signs in as its service account: the row names the app first.
      h("td", {}, r.app ? "app " + r.app + " (" + r.user + ")" : r.user || "—"),
      h("td", {}, r.fault === null ? "—" : "rule " + r.fault),
      h("td", {}, r.item === null ? "—" : h("button", {
        type: "button", class: "link", dataset: { key: "req-item-" + r.request_id },
        onclick: () => openItem(r.item),
      }, "item " + r.item)))));
  renderInto($("requests-pager"), JSON.stringify([page.total, j.offset, j.unseen, j.error]), () => [
    j.error ? h("p", { class: "error", role: "alert" }, j.error) : null,
    pager("requests", page, j.offset, LIST_PAGE, (offset) => {
      j.offset = offset;
      refresh();
    }),
    j.unseen > 0 ? h("p", { class: "quiet" }, j.unseen +
      " newer requests arrived since you left the first page; the rows you see stay put.") : null,
  ]);
}

/** The newest delivery attempts of Graph subscriptions and Box webhooks. Each names the item
 * whose change it reports, as the journal's rows do, so the request that changed it sits beside
 * it by item and time. */
function renderDeliveries() {
  const d = state.deliveries;
  if (!d) return;
  renderInto($("delivery-table").tBodies[0], JSON.stringify(d), () => d.deliveries.length === 0
    ? h("tr", {}, h("td", { colspan: "8", class: "quiet" }, "No deliveries yet."))
    : d.deliveries.map((a) => h("tr", { class: a.outcome === "delivered" ? "" : "failed" },
      h("td", {}, fmtTime(a.time)),
      h("td", {}, a.api + " " + a.kind),
      h("td", { class: "path" }, a.target),
      h("td", {}, String(a.attempt)),
      h("td", {}, a.status === null ? "—" : String(a.status)),
      h("td", {}, (a.latency_us / 1000).toFixed(1) + " ms"),
      h("td", {}, a.outcome, a.error ? h("span", { class: "quiet" }, ": " + a.error) : null),
      h("td", {}, a.item === null ? (a.cause ? "request " + a.cause : "—") : h("button", {
        type: "button", class: "link", dataset: { key: "delivery-item-" + a.seq },
        onclick: () => openItem(a.item),
      }, "item " + a.item)))));
  $("deliveries-outstanding").textContent = d.outstanding === 0
    ? "Everything delivered or given up."
    : d.outstanding + " deliveries queued, in flight or waiting to be retried.";
}

/** Opens an item from a journal link: expands the tree down to it and selects it. */
async function openItem(id) {
  try {
    const item = await api("/__admin/items/" + id);
    for (const ancestor of item.path) toggleFolder(ancestor.id, true);
    select(id);
    $("item").focus();
  } catch (e) {
    if (e instanceof NeedToken) {
      state.needToken = true;
      render();
    } else {
      status("Item " + id + " is not in the store any more.");
    }
  }
}

function renderFaults() {
  const faults = state.faults;
  if (!faults) return;
  renderInto($("fault-table").tBodies[0], JSON.stringify(faults), () => faults.length === 0
    ? h("tr", {}, h("td", { colspan: "5", class: "quiet" }, "No fault rules."))
    : faults.map((f) => {
      const m = f.match || {};
      const matches = ["api", "method", "path", "user"].filter((k) => m[k] !== undefined)
        .map((k) => k + " " + m[k]).join(", ") || "every request";
      const a = f.action;
      const action = a.type === "error" ? "error " + a.status + (a.code ? " " + a.code : "")
        : a.type === "delay" ? "delay " + a.ms + " ms" : a.type;
      const limits = [f.times !== undefined ? "next " + f.times : null,
        f.probability !== undefined ? "p = " + f.probability : null].filter(Boolean).join(", ") || "always";
      return h("tr", {}, h("td", {}, "rule " + f.id), h("td", {}, matches), h("td", {}, action),
        h("td", {}, limits), h("td", {}, String(f.fired)));
    }));
}

function status(text) {
  $("status").textContent = text;
}

// ---- polling -------------------------------------------------------------------------------

let running = null;
let again = false;

/** Loads everything and redraws; calls made while one runs fold into one more run after it. */
async function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      try {
        await load();
        state.needToken = false;
        status("");
      } catch (e) {
        if (e instanceof NeedToken) state.needToken = true;
        else status("Cannot reach the emulator: " + e.message);
      }
      render();
    } while (again);
    running = null;
  })();
  return running;
}

function poll() {
  if (!state.paused && !state.needToken && !document.hidden) refresh();
}

// ---- keyboard ------------------------------------------------------------------------------

/** Arrow keys in the tree: up and down between nodes, right opens a folder, left closes it. */
function treeKeys(event) {
  const current = event.target.closest("[data-tree]");
  if (!current) return;
  const nodes = [...$("browse").querySelectorAll("[data-tree]")];
  const at = nodes.indexOf(current);
  const id = Number(current.dataset.id);
  let handled = true;
  if (event.key === "ArrowDown" && at < nodes.length - 1) nodes[at + 1].focus();
  else if (event.key === "ArrowUp" && at > 0) nodes[at - 1].focus();
  else if (event.key === "ArrowRight" && current.dataset.folder) {
    toggleFolder(id, true);
    refresh();
  } else if (event.key === "ArrowLeft" && current.dataset.folder) {
    toggleFolder(id, false);
    refresh();
  } else handled = false;
  if (handled) event.preventDefault();
}

/** Up and down between versions once one has focus. */
function timelineKeys(event) {
  const entry = event.target.closest(".version");
  if (!entry || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
  const next = event.key === "ArrowDown" ? entry.nextElementSibling : entry.previousElementSibling;
  if (next) {
    next.focus();
    event.preventDefault();
  }
}

// ---- start ---------------------------------------------------------------------------------

function start() {
  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    state.token = $("token").value;
    sessionStorage.setItem(TOKEN_KEY, state.token);
    $("token").value = "";
    refresh().then(() => {
      $("login-error").textContent = state.needToken ? "That token was refused." : "";
    });
  });
  $("pause").addEventListener("click", () => {
    state.paused = !state.paused;
    $("pause").setAttribute("aria-pressed", String(state.paused));
    $("pause").textContent = state.paused ? "Resume updates" : "Pause updates";
  });
  $("journal-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    state.journal.filter = Object.fromEntries([...form].filter(([, v]) => v !== ""));
    state.journal.offset = 0;
    state.journal.total = null;
    refresh();
  });
  $("journal-filter").addEventListener("reset", () => {
    state.journal.filter = {};
    state.journal.offset = 0;
    state.journal.total = null;
    setTimeout(refresh);
  });
  $("browse").addEventListener("keydown", treeKeys);
  $("item-body").addEventListener("keydown", timelineKeys);
  document.addEventListener("visibilitychange", poll);
  const linked = /^#item=(\d+)$/.exec(location.hash);
  if (linked) openItem(Number(linked[1]));
  else refresh();
  setInterval(poll, POLL_MS);
}

start();
