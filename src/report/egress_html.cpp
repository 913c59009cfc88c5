// `meshlint egress --format html`: one self-contained page (inline CSS and
// JS, the graph drawn as SVG by the page itself, nothing loaded from the
// network). The data is one JSON document in a script element; the script
// lays out sources on the left and hosts on the right, filters by namespace
// and host, and shows an edge's explanation when it is clicked.
#include <string>

#include "report/egress_diff.h"
#include "report/egress_graph.h"
#include "report/json_common.h"

namespace meshlint {

using egress::Change;
using egress::DiffEntry;
using report_detail::Json;

namespace {

// Edges past this are counted, not drawn: a page stays quick to open.
constexpr std::size_t kMaxHtmlEdges = 3000;

constexpr const char* kStyle = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--src:#ddf4ff;--srcb:#0969da;
--host:#f6f8fa;--hostb:#59636e;--open:#cf222e;--close:#1a7f37;--reach:#8c959f}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 4px}
.summary{color:var(--muted);margin:0}.bar{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:10px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
.bar input[type=search]{padding:5px 8px;border:1px solid var(--line);border-radius:6px;min-width:220px;font:inherit}
.bar label{display:flex;gap:6px;align-items:center}.legend{margin-left:auto;display:flex;gap:14px;color:var(--muted)}
.sw{display:inline-block;width:22px;height:0;border-top:3px solid;vertical-align:middle;margin-right:4px}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;min-height:calc(100vh - 120px)}
#graph{overflow:auto;padding:16px 24px}#detail{border-left:1px solid var(--line);padding:16px;background:var(--panel);overflow:auto}
#detail h2{font-size:15px;margin:0 0 8px}#detail .hint{color:var(--muted)}
.pair{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px;margin:0 0 10px}
.pair h3{font-size:14px;margin:0 0 6px}.pair ol{margin:4px 0 4px 18px;padding:0}.pair li{margin:2px 0}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:var(--muted)}
.tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;margin-right:6px}
.tag.opened{background:var(--open)}.tag.closed{background:var(--close)}.tag.reaches{background:var(--reach)}
svg text{font-size:13px;fill:var(--fg);pointer-events:none}.node rect{stroke-width:1.5;cursor:pointer}
.node.source rect{fill:var(--src);stroke:var(--srcb)}.node.host rect{fill:var(--host);stroke:var(--hostb)}
.node.dim{opacity:.25}.edge{fill:none;stroke-width:2.5;cursor:pointer}.edge.reaches{stroke:var(--reach)}
.edge.opened{stroke:var(--open)}.edge.closed{stroke:var(--close);stroke-dasharray:6 4}.edge.sel{stroke-width:5}
.edge.dim{opacity:.12}.hit{fill:none;stroke:transparent;stroke-width:12;cursor:pointer}
.count{font-size:11px;fill:var(--muted);paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}.empty{color:var(--muted);padding:24px}
)css";

constexpr const char* kScript = R"js(
(function(){
"use strict";
const data=JSON.parse(document.getElementById("egress-data").textContent);
const NS="http://www.w3.org/2000/svg";
const svg=document.getElementById("svg"), detail=document.getElementById("detail");
const fNs=document.getElementById("f-ns"), fHost=document.getElementById("f-host");
const kinds=Array.from(document.querySelectorAll("input[data-kind]"));
let selected=-1;
function el(tag,attrs,parent){const e=document.createElementNS(NS,tag);for(const k in attrs)e.setAttribute(k,attrs[k]);if(parent)parent.appendChild(e);return e;}
function html(tag,text,cls){const e=document.createElement(tag);if(text!==undefined)e.textContent=text;if(cls)e.className=cls;return e;}
function label(n){const m=n.members;return m.length>3?m.length+(n.host?" hosts: ":" sources: ")+m.slice(0,2).join(", ")+", \u2026":m.join(", ");}
const ctx=document.createElement("canvas").getContext("2d");
function textWidth(s){ctx.font="13px "+getComputedStyle(svg).fontFamily;return ctx.measureText(s).width;}
function fit(s,max){if(textWidth(s)<=max)return s;let k=s.length;while(k>1&&textWidth(s.slice(0,k)+"\u2026")>max)k--;return s.slice(0,k)+"\u2026";}
function matches(n,q){q=q.trim().toLowerCase();return !q||n.members.some(m=>m.toLowerCase().includes(q));}
function draw(){
  while(svg.firstChild)svg.removeChild(svg.firstChild);
  const on=new Set(kinds.filter(k=>k.checked).map(k=>k.dataset.kind));
  const edges=data.edges.map((e,i)=>Object.assign({i:i},e)).filter(e=>on.has(e.kind)&&
    matches(data.nodes[e.from],fNs.value)&&matches(data.nodes[e.to],fHost.value));
  const used=new Set();edges.forEach(e=>{used.add(e.from);used.add(e.to);});
  const left=[],right=[];data.nodes.forEach((n,i)=>{if(used.has(i))(n.host?right:left).push(i);});
  document.getElementById("empty").hidden=edges.length>0;
  const rowH=46,boxH=30,pad=20;
  const width=n=>Math.min(440,Math.max(120,Math.ceil(textWidth(label(data.nodes[n])))+28));
  const lw=Math.max(0,...left.map(width)),rw=Math.max(0,...right.map(width));
  const gap=Math.max(260,Math.min(520,edges.length*6));
  const W=pad*2+lw+gap+rw,H=pad*2+Math.max(left.length,right.length)*rowH;
  svg.setAttribute("width",W);svg.setAttribute("height",H);svg.setAttribute("viewBox","0 0 "+W+" "+H);
  const pos={};
  const place=(list,x,right)=>{const off=(Math.max(left.length,right?right.length:0,list.length)-list.length)*rowH/2;
    list.forEach((n,k)=>{pos[n]={x:x,y:pad+off+k*rowH+rowH/2,w:width(n)};});};
  place(left,pad,false);place(right,pad+lw+gap,false);
  const lines=el("g",{},svg),boxes=el("g",{},svg);
  edges.forEach(e=>{
    const a=pos[e.from],b=pos[e.to];const x1=a.x+a.w,x2=b.x,mx=(x1+x2)/2;
    const d="M"+x1+","+a.y+" C"+mx+","+a.y+" "+mx+","+b.y+" "+x2+","+b.y;
    const g=el("g",{"data-edge":e.i},lines);
    const p=el("path",{d:d,class:"edge "+e.kind+(e.i===selected?" sel":"")},g);
    el("path",{d:d,class:"hit"},g);
    const t=el("title",{},p);t.textContent=label(data.nodes[e.from])+" \u2192 "+label(data.nodes[e.to])+" ("+e.kind+")";
    if(e.pairs.length>1){const c=el("text",{x:mx,y:(a.y+b.y)/2-4,class:"count","text-anchor":"middle"},lines);c.textContent=e.pairs.length+" pairs";}
    g.addEventListener("click",()=>{selected=e.i;show(e);draw();});
  });
  Object.keys(pos).forEach(k=>{
    const n=data.nodes[k],p=pos[k];
    const g=el("g",{class:"node "+(n.host?"host":"source"),"data-node":k},boxes);
    el("rect",{x:p.x,y:p.y-boxH/2,width:p.w,height:boxH,rx:n.host?15:6},g);
    const t=el("text",{x:p.x+p.w/2,y:p.y+4,"text-anchor":"middle"},g);t.textContent=fit(label(n),p.w-20);
    const tt=el("title",{},g);tt.textContent=n.members.join("\n");
    g.addEventListener("click",()=>{(n.host?fHost:fNs).value=n.members.length===1?n.members[0]:"";selected=-1;draw();});
  });
}
function show(e){
  while(detail.firstChild)detail.removeChild(detail.firstChild);
  detail.appendChild(html("h2",label(data.nodes[e.from])+" \u2192 "+label(data.nodes[e.to])));
  e.pairs.forEach(i=>{
    const p=data.entries[i],box=html("div",undefined,"pair");
    const h=html("h3");h.appendChild(html("span",p.kind,"tag "+p.kind));h.appendChild(document.createTextNode(p.source+" \u2192 "+p.target));
    box.appendChild(h);
    if(p.allowed!==null)box.appendChild(html("div",p.allowed?"Allowed by the egress policy.":"NOT allowed by the egress policy."));
    if(p.reasons.length){const ol=html("ol");p.reasons.forEach(r=>{const li=html("li");
      if(r.at)li.appendChild(html("span",r.at+" ","loc"));li.appendChild(document.createTextNode(r.text));ol.appendChild(li);});box.appendChild(ol);}
    else box.appendChild(html("div","No explanation kept for this pair (past the bound).","hint"));
    p.changes.forEach(c=>{const d=html("div");d.appendChild(document.createTextNode("Changed: "+c.text+" "));if(c.at)d.appendChild(html("span",c.at,"loc"));box.appendChild(d);});
    detail.appendChild(box);
  });
}
[fNs,fHost].forEach(i=>i.addEventListener("input",()=>{selected=-1;draw();}));
kinds.forEach(k=>k.addEventListener("change",draw));
// #edge=N opens with edge N explained (links, screenshots).
const m=/^#edge=(\d+)$/.exec(location.hash);
if(m&&data.edges[+m[1]]){selected=+m[1];show(data.edges[selected]);}
draw();
})();
)js";

std::string At(const std::string& file, std::uint32_t line, std::uint32_t column) {
  if (file.empty()) return "";
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* KindWord(EdgeKind k) {
  return k == EdgeKind::kOpened ? "opened" : k == EdgeKind::kClosed ? "closed" : "reaches";
}

// Everything a manifest wrote goes in as JSON inside a script element, never
// as markup: "</" and "<!--" cannot end it.
std::string ScriptSafe(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

void Page(std::ostream& os, const std::string& title, const std::string& summary,
          const std::vector<std::pair<const DiffEntry*, EdgeKind>>& entries) {
  std::vector<std::pair<egress::Pair, EdgeKind>> pairs;
  for (const auto& [e, k] : entries) pairs.push_back({e->pair, k});
  const EgressGraph g = BuildGraph(pairs, kMaxHtmlEdges);
  Json data;
  Json nodes = Json::array(), edges = Json::array(), list = Json::array();
  for (const GraphNode& n : g.nodes) nodes.push_back({{"members", n.members}, {"host", n.host}});
  for (const GraphEdge& e : g.edges)
    edges.push_back(
        {{"from", e.from}, {"to", e.to}, {"kind", KindWord(e.kind)}, {"pairs", e.entries}});
  for (const auto& [e, k] : entries) {
    Json reasons = Json::array(), changes = Json::array();
    for (const egress::Reason& r : e->reasons)
      reasons.push_back({{"text", r.text}, {"at", At(r.file, r.line, r.column)}});
    for (const Change& c : e->changes)
      changes.push_back({{"text", std::string(egress::ChangeWord(c.what)) + " " + c.object +
                                      (c.on_base ? " (in the base)" : "")},
                         {"at", At(c.file, c.line, c.column)}});
    list.push_back({{"source", egress::SourceName(e->pair)},
                    {"target", egress::TargetName(e->pair)},
                    {"kind", KindWord(k)},
                    {"allowed", e->allowed ? Json(*e->allowed) : Json(nullptr)},
                    {"reasons", std::move(reasons)},
                    {"changes", std::move(changes)}});
  }
  data["nodes"] = std::move(nodes);
  data["edges"] = std::move(edges);
  data["entries"] = std::move(list);
  std::string dropped;
  if (g.dropped_edges)
    dropped = " The graph leaves out " + std::to_string(g.dropped_edges) + " edges (" +
              std::to_string(g.dropped_pairs) + " pairs); the JSON report lists them.";
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<title>"
     << Escape(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<header><h1>"
     << Escape(title) << "</h1><p class=\"summary\">" << Escape(summary + dropped)
     << "</p></header>\n"
     << "<div class=\"bar\"><input type=\"search\" id=\"f-ns\" placeholder=\"Filter by namespace\" "
        "aria-label=\"Filter by namespace\"><input type=\"search\" id=\"f-host\" placeholder=\"Filter by host\" "
        "aria-label=\"Filter by host\">"
        "<label><input type=\"checkbox\" data-kind=\"opened\" checked>opened</label>"
        "<label><input type=\"checkbox\" data-kind=\"closed\" checked>closed</label>"
        "<label><input type=\"checkbox\" data-kind=\"reaches\" checked>reaches</label>"
        "<span class=\"legend\"><span><i class=\"sw\" style=\"border-color:var(--open)\"></i>opened</span>"
        "<span><i class=\"sw\" style=\"border-color:var(--close);border-top-style:dashed\"></i>closed</span>"
        "<span><i class=\"sw\" style=\"border-color:var(--reach)\"></i>reaches</span></span></div>\n"
        "<main><div id=\"graph\"><svg id=\"svg\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
        "aria-label=\"egress graph\"></svg><div id=\"empty\" class=\"empty\" hidden>No edge matches the "
        "filters.</div></div>\n<aside id=\"detail\"><h2>Explanation</h2><p class=\"hint\">Click an edge to see "
        "why it is there and what changed; click a box to filter by it.</p></aside></main>\n"
        "<script type=\"application/json\" id=\"egress-data\">"
     << ScriptSafe(report_detail::Dump(data, -1)) << "</script>\n<script>" << kScript
     << "</script>\n</body>\n</html>\n";
}

}  // namespace

void WriteEgressDiffHtml(std::ostream& os, const egress::EgressDiff& d, const DiffLabels& labels) {
  std::vector<std::pair<const DiffEntry*, EdgeKind>> entries;
  for (const DiffEntry& e : d.opened) entries.push_back({&e, EdgeKind::kOpened});
  for (const DiffEntry& e : d.closed) entries.push_back({&e, EdgeKind::kClosed});
  std::string base = labels.base;
  if (!labels.base_commit.empty()) base += " (" + labels.base_commit.substr(0, 12) + ")";
  Page(os, "Egress: " + DiffCounts(d), "Base " + base + ", head " + labels.head + ".", entries);
}

void WriteEgressPictureHtml(std::ostream& os, const std::vector<DiffEntry>& entries) {
  std::vector<std::pair<const DiffEntry*, EdgeKind>> list;
  for (const DiffEntry& e : entries) list.push_back({&e, EdgeKind::kReaches});
  Page(os, "Egress: " + std::to_string(entries.size()) + " reachability pairs",
       "Which namespaces and workload groups reach which external hosts.", list);
}

}  // namespace meshlint
