#include "compiler/analysis/release_diff.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "compiler/evaluate/evaluate.h"
#include "compiler/io/text_diff.h"
#include "compiler/yaml/yaml_writer.h"

namespace meshc {

const char* change_name(Change c) {
  switch (c) {
    case Change::kUnchanged:
      return "unchanged";
    case Change::kChanged:
      return "changed";
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
  }
  return "unchanged";
}

namespace {

using Shares = std::vector<std::pair<std::string, double>>;

// Versions of both lists (the old order, then the new versions), both sides' percentages;
// a version at 0 on both sides is left out.
std::vector<ShareDiff> diff_shares(const Shares* before, const Shares* after) {
  std::vector<ShareDiff> out;
  auto find = [&](const std::string& v) -> ShareDiff* {
    for (ShareDiff& d : out) {
      if (d.version == v) return &d;
    }
    out.push_back({v, std::nullopt, std::nullopt});
    return &out.back();
  };
  if (before) {
    for (const auto& [v, p] : *before) {
      ShareDiff* d = find(v);
      d->before = p + d->before.value_or(0);
    }
  }
  if (after) {
    for (const auto& [v, p] : *after) {
      ShareDiff* d = find(v);
      d->after = p + d->after.value_or(0);
    }
  }
  // Within a segment on both sides, a version missing on one side has 0 there.
  if (before && after) {
    for (ShareDiff& d : out) {
      if (!d.before) d.before = 0;
      if (!d.after) d.after = 0;
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const ShareDiff& d) {
                             return d.before.value_or(0) == 0 && d.after.value_or(0) == 0;
                           }),
            out.end());
  return out;
}

bool shares_equal(const std::vector<ShareDiff>& s) {
  for (const ShareDiff& d : s) {
    if (d.before != d.after) return false;
  }
  return true;
}

}  // namespace

std::vector<SegmentDiff> diff_traffic(const ReleaseTraffic* before, const ReleaseTraffic* after) {
  std::vector<SegmentDiff> out;
  static const ReleaseTraffic kNone;
  const auto& olds = (before ? *before : kNone).segments;
  const auto& news = (after ? *after : kNone).segments;
  std::vector<bool> used(olds.size(), false);
  auto take_old = [&](const std::string& key) -> const TrafficSegment* {
    for (size_t i = 0; i < olds.size(); ++i) {
      if (!used[i] && olds[i].key == key) {
        used[i] = true;
        return &olds[i];
      }
    }
    return nullptr;
  };
  size_t next_old = 0;  // removed segments are shown where they stood
  auto flush_removed_before = [&](size_t limit) {
    for (; next_old < limit; ++next_old) {
      if (used[next_old]) continue;
      const TrafficSegment& o = olds[next_old];
      used[next_old] = true;
      out.push_back({o.key, o.description, Change::kRemoved, diff_shares(&o.shares, nullptr),
                     diff_shares(&o.mirrors, nullptr)});
    }
  };
  for (const TrafficSegment& n : news) {
    const TrafficSegment* o = take_old(n.key);
    if (o) flush_removed_before(static_cast<size_t>(o - olds.data()));
    SegmentDiff d{n.key, n.description, Change::kAdded, {}, {}};
    d.shares = diff_shares(o ? &o->shares : nullptr, &n.shares);
    d.mirrors = diff_shares(o ? &o->mirrors : nullptr, &n.mirrors);
    if (o) {
      d.change =
          shares_equal(d.shares) && shares_equal(d.mirrors) ? Change::kUnchanged : Change::kChanged;
    }
    out.push_back(std::move(d));
  }
  // A removed catch-all is impossible (every routemap has one); the rest go last.
  flush_removed_before(olds.size());
  return out;
}

namespace {

std::string object_key(const Object& o) {
  const Object& md = o["metadata"];
  return o.value("apiVersion", "") + "\n" + o.value("kind", "") + "\n" + md.value("namespace", "") +
         "\n" + md.value("name", "");
}

ObjectDiff object_head(const Object& o, Change c) {
  const Object& md = o["metadata"];
  return {o.value("apiVersion", ""),
          o.value("kind", ""),
          md.value("namespace", ""),
          md.value("name", ""),
          c,
          ""};
}

std::string object_label(const ObjectDiff& d) {
  return d.kind + " " + (d.namespace_.empty() ? "" : d.namespace_ + "/") + d.name;
}

std::vector<ObjectDiff> diff_objects(const std::vector<Object>* before,
                                     const std::vector<Object>* after) {
  static const std::vector<Object> kNone;
  const auto& olds = before ? *before : kNone;
  const auto& news = after ? *after : kNone;
  std::map<std::string, const Object*> old_by_key;
  for (const Object& o : olds) old_by_key.emplace(object_key(o), &o);
  std::map<std::string, bool> in_new;
  std::vector<ObjectDiff> out;
  for (const Object& n : news) {
    std::string key = object_key(n);
    in_new[key] = true;
    auto it = old_by_key.find(key);
    if (it == old_by_key.end()) {
      out.push_back(object_head(n, Change::kAdded));
      continue;
    }
    std::string a, b;
    write_yaml_document(*it->second, a);
    write_yaml_document(n, b);
    if (a == b) continue;
    ObjectDiff d = object_head(n, Change::kChanged);
    std::string label = object_label(d);
    d.diff = unified_diff(a, b, "a/" + label, "b/" + label, 2);
    out.push_back(std::move(d));
  }
  for (const Object& o : olds) {
    if (!in_new.count(object_key(o))) out.push_back(object_head(o, Change::kRemoved));
  }
  return out;
}

// Exact to 4 decimals without trailing zeros: "90", "33.3333" (format_percent).
std::string percent(const std::optional<double>& p) {
  return p ? format_percent(*p) : std::string("-");
}

// "httpbin-0 90 -> 70 %", "httpbin-1 100 % (unchanged)", "httpbin-2 30 % (new)".
std::string share_words(const ShareDiff& s, const char* prefix) {
  std::string v = std::string(prefix) + s.version + " ";
  if (!s.before) return v + percent(s.after) + " %";
  if (!s.after) return v + percent(s.before) + " %";
  if (*s.before == *s.after) return v + percent(s.after) + " % (unchanged)";
  return v + percent(s.before) + " -> " + percent(s.after) + " %";
}

// `mark`: say when the segment is new or removed (not in a release added or removed whole).
std::string segment_line(const SegmentDiff& s, bool mark) {
  std::string parts;
  for (const ShareDiff& d : s.shares) parts += (parts.empty() ? "" : ", ") + share_words(d, "");
  for (const ShareDiff& d : s.mirrors) {
    parts += (parts.empty() ? "" : ", ") + share_words(d, "copy to ");
  }
  if (parts.empty()) parts = "no version";
  std::string what = s.description;
  if (mark && s.change == Change::kAdded) what += " (new segment)";
  if (mark && s.change == Change::kRemoved) what += " (removed segment, was)";
  return what + ": " + parts;
}

std::string release_header(const ReleaseDiff& r) {
  std::string h = "release " + r.id;
  if (r.change == Change::kAdded) h += " (added)";
  if (r.change == Change::kRemoved) h += " (removed)";
  if (r.change == Change::kUnchanged) h += ": no changes";
  return h;
}

std::string target_words(const ReleaseDiff& r) {
  std::string o = r.old_target.empty() ? "no routing target" : r.old_target;
  std::string n = r.new_target.empty() ? "no routing target" : r.new_target;
  if (r.change == Change::kAdded) return n;
  if (r.change == Change::kRemoved || o == n) return o;
  return o + " -> " + n;
}

}  // namespace

std::vector<ReleaseDiff> diff_releases(const std::vector<ReleaseSide>& old_side,
                                       const std::vector<ReleaseSide>& new_side) {
  std::vector<ReleaseDiff> out;
  std::vector<const ReleaseSide*> order_old, order_new;
  std::vector<std::string> ids;
  for (const ReleaseSide& s : old_side) ids.push_back(s.traffic.id);
  for (const ReleaseSide& s : new_side) {
    if (std::find(ids.begin(), ids.end(), s.traffic.id) == ids.end()) ids.push_back(s.traffic.id);
  }
  auto find = [](const std::vector<ReleaseSide>& side, const std::string& id) {
    for (const ReleaseSide& s : side) {
      if (s.traffic.id == id) return &s;
    }
    return static_cast<const ReleaseSide*>(nullptr);
  };
  for (const std::string& id : ids) {
    const ReleaseSide* o = find(old_side, id);
    const ReleaseSide* n = find(new_side, id);
    ReleaseDiff d;
    d.id = id;
    d.old_target = o ? o->target : "";
    d.new_target = n ? n->target : "";
    d.segments = diff_traffic(o ? &o->traffic : nullptr, n ? &n->traffic : nullptr);
    d.objects = diff_objects(o ? &o->objects : nullptr, n ? &n->objects : nullptr);
    if (!o) {
      d.change = Change::kAdded;
    } else if (!n) {
      d.change = Change::kRemoved;
    } else {
      bool same = d.objects.empty() && d.old_target == d.new_target;
      for (const SegmentDiff& s : d.segments) same = same && s.change == Change::kUnchanged;
      d.change = same ? Change::kUnchanged : Change::kChanged;
    }
    out.push_back(std::move(d));
  }
  return out;
}

bool any_change(const std::vector<ReleaseDiff>& diffs) {
  for (const ReleaseDiff& d : diffs) {
    if (d.change != Change::kUnchanged) return true;
  }
  return false;
}

std::string diff_text(const std::vector<ReleaseDiff>& diffs) {
  std::string out;
  if (diffs.empty()) return "no releases\n";
  for (const ReleaseDiff& r : diffs) {
    out += release_header(r) + "\n";
    // The objects of no routed service (meshc diff --manifests) have no traffic.
    out += r.segments.empty() ? "  traffic: none\n" : "  traffic:\n";
    bool whole = r.change == Change::kAdded || r.change == Change::kRemoved;
    for (const SegmentDiff& s : r.segments) out += "    " + segment_line(s, !whole) + "\n";
    out += "  objects (" + target_words(r) + "):";
    if (r.objects.empty()) out += " unchanged";
    out += "\n";
    for (const ObjectDiff& o : r.objects) {
      out += std::string("    ") + change_name(o.change) + " " + object_label(o) + "\n";
      size_t pos = 0;
      while (pos < o.diff.size()) {
        size_t nl = o.diff.find('\n', pos);
        if (nl == std::string::npos) nl = o.diff.size();
        out += "      " + o.diff.substr(pos, nl - pos) + "\n";
        pos = nl + 1;
      }
    }
  }
  return out;
}

namespace {

// A whole percent as an integer (90), any other rounded to 4 decimals (33.3333); null when the
// segment is not on that side.
nlohmann::ordered_json percent_json(const std::optional<double>& p) {
  if (!p) return nullptr;
  double r = std::round(*p * 10000.0) / 10000.0;
  if (r == std::floor(r) && std::fabs(r) < 1e15) return static_cast<int64_t>(r);
  return r;
}

nlohmann::ordered_json shares_json(const std::vector<ShareDiff>& shares) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const ShareDiff& s : shares) {
    nlohmann::ordered_json j;
    j["version"] = s.version;
    j["before"] = percent_json(s.before);
    j["after"] = percent_json(s.after);
    a.push_back(std::move(j));
  }
  return a;
}

}  // namespace

std::string diff_json(const std::vector<ReleaseDiff>& diffs) {
  nlohmann::ordered_json doc;
  doc["changed"] = any_change(diffs);
  nlohmann::ordered_json releases = nlohmann::ordered_json::array();
  for (const ReleaseDiff& r : diffs) {
    nlohmann::ordered_json j;
    j["release"] = r.id;
    j["change"] = change_name(r.change);
    j["targetBefore"] = r.old_target;
    j["targetAfter"] = r.new_target;
    nlohmann::ordered_json segs = nlohmann::ordered_json::array();
    for (const SegmentDiff& s : r.segments) {
      nlohmann::ordered_json sj;
      sj["segment"] = s.description;
      sj["key"] = s.key;
      sj["change"] = change_name(s.change);
      sj["shares"] = shares_json(s.shares);
      sj["mirrors"] = shares_json(s.mirrors);
      segs.push_back(std::move(sj));
    }
    j["segments"] = std::move(segs);
    nlohmann::ordered_json objs = nlohmann::ordered_json::array();
    for (const ObjectDiff& o : r.objects) {
      nlohmann::ordered_json oj;
      oj["change"] = change_name(o.change);
      oj["apiVersion"] = o.api_version;
      oj["kind"] = o.kind;
      oj["namespace"] = o.namespace_;
      oj["name"] = o.name;
      if (o.change == Change::kChanged) oj["diff"] = o.diff;
      objs.push_back(std::move(oj));
    }
    j["objects"] = std::move(objs);
    releases.push_back(std::move(j));
  }
  doc["releases"] = std::move(releases);
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string mermaid_label(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '#':
        out += "#35;";
        break;
      case '|':
        out += "#124;";
        break;
      case '`':
        out += "#96;";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

namespace {

// The edge label and arrow of one share: "90 -> 70 %" thick when it changes, a mirrored copy
// or a share that goes away dashed, the rest solid.
std::string mermaid_edge(const std::string& from, const ShareDiff& d, bool mirror,
                         const std::string& to) {
  std::string l;
  if (!d.before) {
    l = percent(d.after) + " %";
  } else if (!d.after) {
    l = percent(d.before) + " % -> none";
  } else if (*d.before == *d.after) {
    l = percent(d.after) + " %";
  } else {
    l = percent(d.before) + " -> " + percent(d.after) + " %";
  }
  if (mirror) l = "copy " + l;
  bool changed = d.before && d.after && *d.before != *d.after;
  const char* arrow = (!d.after || mirror) ? " -.->|" : changed ? " ==>|" : " -->|";
  return "    " + from + arrow + mermaid_label(l) + "| " + to + "\n";
}

}  // namespace

std::string mermaid_subgraph(size_t index, const std::string& title,
                             const std::vector<SegmentDiff>& segments, bool whole) {
  // Node ids are generated (r<i>s<j>, r<i>v<k>): names never reach the syntax, only labels.
  std::string rid = "r" + std::to_string(index);
  std::string out = "  subgraph " + rid + " [" + mermaid_label(title) + "]\n";
  std::vector<std::string> versions;
  auto vid = [&](const std::string& v) {
    auto it = std::find(versions.begin(), versions.end(), v);
    if (it == versions.end()) {
      versions.push_back(v);
      it = versions.end() - 1;
    }
    return rid + "v" + std::to_string(it - versions.begin());
  };
  std::string edges;
  for (size_t j = 0; j < segments.size(); ++j) {
    const SegmentDiff& s = segments[j];
    std::string sid = rid + "s" + std::to_string(j);
    std::string label = s.description;
    if (!whole && s.change == Change::kAdded) label += " (new)";
    if (!whole && s.change == Change::kRemoved) label += " (removed)";
    out += "    " + sid + "[" + mermaid_label(label) + "]\n";
    for (const ShareDiff& d : s.shares) edges += mermaid_edge(sid, d, false, vid(d.version));
    for (const ShareDiff& d : s.mirrors) edges += mermaid_edge(sid, d, true, vid(d.version));
  }
  for (size_t k = 0; k < versions.size(); ++k) {
    out += "    " + rid + "v" + std::to_string(k) + "([" + mermaid_label(versions[k]) + "])\n";
  }
  return out + edges + "  end\n";
}

std::string mermaid_error_subgraph(size_t index, const std::string& title,
                                   const std::string& error) {
  std::string rid = "r" + std::to_string(index);
  return "  subgraph " + rid + " [" + mermaid_label(title) + "]\n    " + rid + "e[" +
         mermaid_label(error) + "]\n  end\n";
}

std::string diff_mermaid(const std::vector<ReleaseDiff>& diffs) {
  std::string out = "flowchart LR\n";
  for (size_t i = 0; i < diffs.size(); ++i) {
    const ReleaseDiff& r = diffs[i];
    std::string title = "release " + r.id;
    if (r.change != Change::kChanged) title += std::string(" (") + change_name(r.change) + ")";
    bool whole = r.change == Change::kAdded || r.change == Change::kRemoved;
    out += mermaid_subgraph(i, title, r.segments, whole);
  }
  return out;
}

std::string fence_for(const std::string& text) {
  size_t run = 0, longest = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

std::string diff_markdown(const std::vector<ReleaseDiff>& diffs) {
  std::string text = diff_text(diffs);
  std::string mermaid = diff_mermaid(diffs);
  std::string out = "### meshc diff\n\n";
  out += any_change(diffs) ? "The routing changes.\n\n" : "No changes.\n\n";
  std::string f = fence_for(mermaid);
  out += f + "mermaid\n" + mermaid + f + "\n\n";
  f = fence_for(text);
  out += "<details><summary>Traffic and objects</summary>\n\n" + f + "text\n" + text + f +
         "\n\n</details>\n";
  return out;
}

}  // namespace meshc
