#include "chainload/muscle_graph.hpp"

#include "chainload/errors.hpp"

#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/transform_value_property_map.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace chainload {

namespace {
template <typename Enum, std::size_t N>
Enum parse_enum(const std::string& s, const char* what, const char* const (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<Enum>(i);
  throw_unknown(what, s, std::vector<std::string>(std::begin(names), std::end(names)));
}
constexpr const char* chain_names[] = {"posterior", "anterior", "lateral"};
constexpr const char* region_names[] = {"upper", "lower", "core"};
constexpr const char* link_names[] = {"synergist", "antagonist"};

// Keeps only the synergist edges of the graph.
struct SynergistOnly {
  const MuscleGraph::Graph* graph = nullptr;
  template <typename Edge>
  bool operator()(const Edge& e) const {
    return (*graph)[e].type == LinkType::synergist;
  }
};
}  // namespace

Chain parse_chain(const std::string& s) { return parse_enum<Chain>(s, "chain", chain_names); }
Region parse_region(const std::string& s) { return parse_enum<Region>(s, "region", region_names); }
LinkType parse_link_type(const std::string& s) { return parse_enum<LinkType>(s, "link type", link_names); }
const char* to_string(Chain c) { return chain_names[static_cast<std::size_t>(c)]; }
const char* to_string(Region r) { return region_names[static_cast<std::size_t>(r)]; }
const char* to_string(LinkType t) { return link_names[static_cast<std::size_t>(t)]; }

std::size_t MuscleGraph::add_muscle(const Muscle& muscle) {
  if (muscle.id.empty()) throw InvalidInput("muscle id must not be empty");
  if (index_.count(muscle.id)) throw InvalidInput("duplicate muscle id '" + muscle.id + "'");
  if (!std::isfinite(muscle.size) || muscle.size <= 0.0)
    throw InvalidInput("muscle '" + muscle.id + "': size must be a finite number > 0, got " +
                       std::to_string(muscle.size));
  const auto v = boost::add_vertex(muscle, graph_);
  index_.emplace(muscle.id, v);
  return v;
}

void MuscleGraph::add_link(const std::string& a, const std::string& b, LinkType type, double weight,
                           const std::string& group) {
  const auto u = index(a);
  const auto v = index(b);
  if (u == v) throw InvalidInput("link from muscle '" + a + "' to itself");
  if (!std::isfinite(weight) || weight <= 0.0 || weight > 1.0)
    throw InvalidInput("link " + a + "-" + b + ": weight must lie in (0, 1], got " + std::to_string(weight));
  if (boost::edge(u, v, graph_).second) throw InvalidInput("muscles '" + a + "' and '" + b + "' are linked twice");
  boost::add_edge(u, v, Link{type, weight, group}, graph_);
}

std::size_t MuscleGraph::index(const std::string& id) const {
  const auto it = index_.find(id);
  if (it == index_.end()) throw_unknown("muscle", id, ids());
  return it->second;
}

const Muscle& MuscleGraph::muscle(std::size_t index) const {
  if (index >= size()) throw InvalidInput("muscle index " + std::to_string(index) + " out of range");
  return graph_[index];
}

std::vector<std::string> MuscleGraph::ids() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::size_t v = 0; v < size(); ++v) out.push_back(graph_[v].id);
  return out;
}

std::vector<std::size_t> MuscleGraph::in_chain(Chain chain) const {
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < size(); ++v)
    if (graph_[v].chain == chain) out.push_back(v);
  return out;
}

std::vector<std::size_t> MuscleGraph::in_region(Region region) const {
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < size(); ++v)
    if (graph_[v].region == region) out.push_back(v);
  return out;
}

std::vector<std::size_t> MuscleGraph::neighbours(std::size_t index, LinkType type) const {
  muscle(index);  // range check
  std::vector<std::size_t> out;
  for (auto [e, end] = boost::out_edges(index, graph_); e != end; ++e)
    if (graph_[*e].type == type) out.push_back(boost::target(*e, graph_));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<LinkRecord> MuscleGraph::links() const {
  std::vector<LinkRecord> out;
  for (auto [e, end] = boost::edges(graph_); e != end; ++e)
    out.push_back({boost::source(*e, graph_), boost::target(*e, graph_), graph_[*e]});
  return out;
}

std::vector<AntagonistGroup> MuscleGraph::antagonist_groups() const {
  std::vector<AntagonistGroup> groups;
  auto add_unique = [](std::vector<std::size_t>& side, std::size_t v) {
    if (std::find(side.begin(), side.end(), v) == side.end()) side.push_back(v);
  };
  for (const auto& record : links()) {
    if (record.link.type != LinkType::antagonist) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.name == record.link.group; });
    if (it == groups.end()) it = groups.insert(groups.end(), AntagonistGroup{record.link.group, {}, {}});
    add_unique(it->a_side, record.a);
    add_unique(it->b_side, record.b);
  }
  return groups;
}

std::vector<std::size_t> MuscleGraph::synergist_path(std::size_t from, std::size_t to) const {
  muscle(from);
  muscle(to);
  const boost::filtered_graph<Graph, SynergistOnly> synergists(graph_, SynergistOnly{&graph_});
  std::vector<std::size_t> predecessor(size());
  std::iota(predecessor.begin(), predecessor.end(), std::size_t{0});
  std::vector<double> distance(size(), std::numeric_limits<double>::infinity());
  auto cost = boost::make_transform_value_property_map([](const Link& l) { return 1.0 / l.weight; },
                                                       boost::get(boost::edge_bundle, graph_));
  boost::dijkstra_shortest_paths(synergists, from,
                                 boost::predecessor_map(predecessor.data()).distance_map(distance.data()).weight_map(cost));
  // Boost marks an unreached vertex by leaving it its own predecessor (its distance stays at the
  // "infinity" Boost chose, numeric_limits::max(), which is finite).
  if (to != from && predecessor[to] == to) return {};
  std::vector<std::size_t> path{to};
  while (path.back() != from) path.push_back(predecessor[path.back()]);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<std::size_t> MuscleGraph::synergist_components() const {
  const boost::filtered_graph<Graph, SynergistOnly> synergists(graph_, SynergistOnly{&graph_});
  std::vector<std::size_t> component(size());
  boost::connected_components(synergists, component.data());
  return component;
}

}  // namespace chainload
