#pragma once
// The body's muscle groups as a Boost.Graph: vertices are muscles, edges are typed links
// (synergists of one kinetic chain, or antagonist pairs pooled into named balance ratios).
#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace chainload {

enum class Chain { posterior, anterior, lateral };
enum class Region { upper, lower, core };
enum class LinkType { synergist, antagonist };

Chain parse_chain(const std::string& s);
Region parse_region(const std::string& s);
LinkType parse_link_type(const std::string& s);
const char* to_string(Chain c);
const char* to_string(Region r);
const char* to_string(LinkType t);

struct Muscle {
  std::string id;
  std::string name;
  Chain chain = Chain::lateral;
  Region region = Region::upper;
  double size = 0.0;  // relative size (fraction of body muscle volume), > 0
};

struct Link {
  LinkType type = LinkType::synergist;
  double weight = 1.0;  // synergist coupling strength in (0, 1]; 1 for antagonists
  std::string group;    // antagonist edges of one group pool into one ratio; synergists: the kinetic chain
};

// One pooled antagonist ratio: load on the a-side muscles over load on the b-side muscles.
struct AntagonistGroup {
  std::string name;
  std::vector<std::size_t> a_side;
  std::vector<std::size_t> b_side;
};

struct LinkRecord {
  std::size_t a;
  std::size_t b;
  Link link;
};

class MuscleGraph {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Muscle, Link>;

  // Adds a muscle; throws InvalidInput on a duplicate or empty id, or a size that is not > 0.
  std::size_t add_muscle(const Muscle& muscle);
  // Adds a link between two existing muscles; throws UnknownName for a missing end,
  // InvalidInput for a self-link, a repeated pair or a weight outside (0, 1].
  void add_link(const std::string& a, const std::string& b, LinkType type, double weight, const std::string& group);

  std::size_t size() const { return boost::num_vertices(graph_); }
  std::size_t index(const std::string& id) const;  // throws UnknownName with suggestions
  const Muscle& muscle(std::size_t index) const;
  std::vector<std::string> ids() const;

  std::vector<std::size_t> in_chain(Chain chain) const;
  std::vector<std::size_t> in_region(Region region) const;
  std::vector<std::size_t> neighbours(std::size_t index, LinkType type) const;
  std::vector<LinkRecord> links() const;
  std::vector<AntagonistGroup> antagonist_groups() const;

  // Shortest path through synergist links only, each link costing 1/weight (strong couplings
  // are short). Empty when the two muscles are in different synergist components.
  std::vector<std::size_t> synergist_path(std::size_t from, std::size_t to) const;
  // Component number of each muscle in the synergist subgraph (0, 1, ... in order of first muscle).
  std::vector<std::size_t> synergist_components() const;

 private:
  Graph graph_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace chainload
