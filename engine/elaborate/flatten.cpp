#include "elaborate/flatten.hpp"
#include "core/device_registry.hpp"
#include "elaborate/param_scope.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <unordered_set>

namespace dwspice {

namespace {

// Guards against netlists that expand exponentially (each level instancing
// the next several times): better a clear error than an apparent hang.
constexpr std::size_t kMaxInstances = 20'000'000;
constexpr std::size_t kMaxDepth = 256;

const std::vector<DeferredValue> kNoExpressions;

// One level of the hierarchy being expanded: the top level or one X instance.
struct Frame {
  const SubcircuitDef *def = nullptr; // null at the top level
  const Frame *caller = nullptr;
  std::string path;         // "" at the top, "x1", "x1.x2"
  std::string instanceName; // for recursion messages
  const ParamScope *scope = nullptr;
  std::unordered_map<std::string, std::string> ports; // local port name -> outer node
  std::unordered_map<std::string, const ModelSpec *> models;
};

// The extras of card `card` of a body, if it has any. `cursor` walks
// body.extras along with the cards (both ascend), so a pass costs no search.
const CardExtras *extrasOf(const Body &body, std::size_t card, std::size_t &cursor) {
  if (cursor < body.extras.size() && body.extras[cursor].card == card) {
    return &body.extras[cursor++];
  }
  return nullptr;
}

class Flattener {
public:
  Flattener(Deck &deck, CircuitSpec &spec, InstanceNames &index) : deck_(deck), spec_(spec), index_(index) {
    for (const Word &global : deck.globals) {
      globals_.insert(global.text == "gnd" ? std::string(kGroundNode) : global.text);
    }
    indexSubcircuits(nullptr, deck.top);
  }

  void run(const ParamScope &topScope) {
    std::vector<InstanceSpec> &cards = deck_.top.elements;
    // Every X card has extras (its subcircuit name), so a body without any
    // has no X card: a big generated netlist of plain cards is not scanned.
    const bool topIsFlat =
        deck_.top.extras.empty() ||
        std::none_of(cards.begin(), cards.end(), [](const InstanceSpec &card) { return card.letter == 'x'; });
    // A flat top level is its own size; counting it again would be a second
    // pass over 100k cards of a big generated netlist.
    const std::size_t expected = topIsFlat ? cards.size() : flattenedSize(nullptr, deck_.top);
    if (expected > kMaxInstances) {
      throw UserError(deck_.endLoc, fmt::format("the flattened circuit has too many elements (more than {})",
                                                kMaxInstances));
    }
    index_.reserve(expected);
    Frame top;
    top.scope = &topScope;
    evaluateModels(deck_.top, top);
    std::size_t cursor = 0;
    if (topIsFlat) {
      // No subcircuit instance at the top: the cards, in order, already are
      // the flat circuit (a big generated netlist, typically), so the vector
      // itself becomes the circuit's and only needs completing in place.
      spec_.instances = std::move(cards);
      // Name probes land anywhere in a big index: ask for the slot a few
      // instances ahead so that the probe does not wait for memory.
      constexpr std::size_t kPrefetchAhead = 8;
      for (std::size_t k = 0; k < spec_.instances.size(); ++k) {
        if (k + kPrefetchAhead < spec_.instances.size()) {
          index_.prefetch(spec_.instances[k + kPrefetchAhead].name);
        }
        InstanceSpec &instance = spec_.instances[k];
        groundAliases(instance);
        completeInstance(instance, k, {}, extrasOf(deck_.top, k, cursor), top);
      }
    } else {
      // Each top-level card is used once: release it as soon as it is
      // flattened, so that a 100k-element netlist never holds its cards and
      // its instances in full at the same time.
      spec_.instances.reserve(expected);
      for (std::size_t k = 0; k < cards.size(); ++k) {
        const CardExtras *extras = extrasOf(deck_.top, k, cursor);
        if (cards[k].letter == 'x') {
          expandInstance(cards[k], *extras, top);
          cards[k] = InstanceSpec{};
        } else {
          groundAliases(cards[k]);
          addInstance(std::move(cards[k]), {}, extras, top);
        }
      }
    }
    addNodeValues(deck_.top, top);
  }

private:
  // Subcircuit names visible in each body, checked for duplicates once.
  void indexSubcircuits(const SubcircuitDef *owner, const Body &body) {
    auto &names = subcircuitsIn_[owner];
    for (const auto &def : body.subcircuits) {
      const auto [it, inserted] = names.emplace(def->name.text, def.get());
      if (!inserted) {
        throw UserError(def->name.loc,
                        fmt::format("subcircuit '{}' is defined twice in the same scope (first at {})",
                                    def->name.text, it->second->name.loc.str()));
      }
      indexSubcircuits(def.get(), def->body);
    }
    std::unordered_map<std::string, const ModelCard *> models;
    for (const ModelCard &model : body.models) {
      const auto [it, inserted] = models.emplace(model.name.text, &model);
      if (!inserted) {
        throw UserError(model.name.loc,
                        fmt::format("model '{}' is defined twice in the same scope (first at {})",
                                    model.name.text, it->second->name.loc.str()));
      }
    }
  }

  std::string node(const Frame &frame, const std::string &name) const {
    if (name == "0" || name == "gnd") {
      return kGroundNode;
    }
    if (frame.def == nullptr || globals_.count(name) != 0) {
      return name;
    }
    const auto port = frame.ports.find(name);
    if (port != frame.ports.end()) {
      return port->second;
    }
    return frame.path + "." + name;
  }

  // ngspice's flattened element names: letter, instance path, local name.
  static std::string elementName(const Frame &frame, const std::string &name) {
    if (frame.def == nullptr) {
      return name;
    }
    std::string full;
    full.reserve(name.size() + frame.path.size() + 3);
    full += name.front();
    full += '.';
    full += frame.path;
    full += '.';
    full += name;
    return full;
  }

  const SubcircuitDef *findSubcircuit(const Frame &frame, const Word &name) const {
    if (const SubcircuitDef *def = lookupSubcircuit(frame.def, name.text)) {
      return def;
    }
    throw UserError(name.loc, fmt::format("undefined subcircuit '{}'", name.text));
  }

  const SubcircuitDef *lookupSubcircuit(const SubcircuitDef *from, const std::string &name) const {
    for (const SubcircuitDef *scope = from;; scope = scope->parent) {
      const auto &names = subcircuitsIn_.at(scope);
      const auto it = names.find(name);
      if (it != names.end()) {
        return it->second;
      }
      if (scope == nullptr) {
        return nullptr;
      }
    }
  }

  // Elements one instance of `def` (null: the top level) flattens to,
  // saturating at kMaxInstances + 1. Computed from the definitions alone so
  // an exponentially expanding netlist is refused before any work is done.
  // Unknown and recursive subcircuits count as 0: expansion reports them.
  std::size_t flattenedSize(const SubcircuitDef *def, const Body &body) {
    const auto known = sizes_.find(def);
    if (known != sizes_.end()) {
      return known->second;
    }
    sizes_[def] = 0; // in progress: a cycle counts as 0 here
    std::size_t total = 0;
    std::size_t cursor = 0;
    for (std::size_t k = 0; k < body.elements.size(); ++k) {
      const CardExtras *extras = extrasOf(body, k, cursor);
      std::size_t add = 1;
      if (body.elements[k].letter == 'x') {
        const SubcircuitDef *sub = lookupSubcircuit(def, extras->model->text);
        add = sub == nullptr ? 0 : flattenedSize(sub, sub->body);
      }
      total = std::min(total + add, kMaxInstances + 1);
    }
    sizes_[def] = total;
    return total;
  }

  // Innermost lexically visible model: frames of the current definition and
  // of the definitions that enclose it.
  const ModelSpec *findModel(const Frame &frame, const Word &name) const {
    for (const Frame *f = &frame; f != nullptr; f = f->caller) {
      bool lexicallyVisible = false;
      for (const SubcircuitDef *d = frame.def;; d = d->parent) {
        if (d == f->def) {
          lexicallyVisible = true;
          break;
        }
        if (d == nullptr) {
          break;
        }
      }
      if (!lexicallyVisible) {
        continue;
      }
      const auto it = f->models.find(name.text);
      if (it != f->models.end()) {
        return it->second;
      }
    }
    throw UserError(name.loc, fmt::format("undefined model '{}'", name.text));
  }

  void evaluateModels(const Body &body, Frame &frame) {
    for (const ModelCard &card : body.models) {
      if (!DeviceRegistry::instance().knowsModelType(card.type.text)) {
        throw UserError(card.type.loc, fmt::format("unknown model type '{}' for model '{}'", card.type.text,
                                                   card.name.text));
      }
      auto model = std::make_unique<ModelSpec>();
      model->name = frame.def == nullptr ? card.name.text : frame.path + "." + card.name.text;
      model->type = card.type.text;
      model->loc = card.name.loc;
      for (const ParamAssign &param : card.params) {
        if (model->params.count(param.name.text) != 0) {
          throw UserError(param.name.loc, fmt::format("model parameter '{}' given twice", param.name.text));
        }
        model->params[param.name.text] = evaluateValue(param.value, *frame.scope);
        model->paramLocs[param.name.text] = param.name.loc;
      }
      frame.models[card.name.text] = model.get();
      spec_.models.push_back(std::move(model));
    }
  }

  void expandBody(const Body &body, Frame &frame) {
    evaluateModels(body, frame);
    std::size_t cursor = 0;
    for (std::size_t k = 0; k < body.elements.size(); ++k) {
      const CardExtras *extras = extrasOf(body, k, cursor);
      if (body.elements[k].letter == 'x') {
        expandInstance(body.elements[k], *extras, frame);
      } else {
        addElement(body.elements[k], extras, frame);
      }
    }
    addNodeValues(body, frame);
  }

  void addNodeValues(const Body &body, const Frame &frame) {
    for (const NodeValueSyntax &ic : body.initialConditions) {
      spec_.initialConditions.push_back(
          {node(frame, ic.node.text), evaluateValue(ic.value, *frame.scope), ic.node.loc});
    }
    for (const NodeValueSyntax &ns : body.nodesets) {
      spec_.nodesets.push_back(
          {node(frame, ns.node.text), evaluateValue(ns.value, *frame.scope), ns.node.loc});
    }
  }

  // A card of a subcircuit body: a renamed copy for this instance.
  void addElement(const InstanceSpec &local, const CardExtras *extras, const Frame &frame) {
    InstanceSpec instance;
    instance.name = elementName(frame, local.name);
    instance.letter = local.letter;
    instance.loc = local.loc;
    instance.nodes.reserve(local.nodes.size());
    for (const std::string &n : local.nodes) {
      instance.nodes.push_back(node(frame, n));
    }
    instance.references.reserve(local.references.size());
    for (const std::string &reference : local.references) {
      instance.references.push_back(elementName(frame, reference));
    }
    instance.args = local.args;
    addInstance(std::move(instance), local.name, extras, frame);
  }

  // A top-level card's instance is the flat one, names and all, except that
  // `gnd` is ground.
  static void groundAliases(InstanceSpec &card) {
    for (std::string &n : card.nodes) {
      if (n == "gnd") {
        n = kGroundNode;
      }
    }
  }

  // Appends the instance and completes it. `localName`: the card's own name
  // inside a subcircuit, for messages (empty at the top level).
  void addInstance(InstanceSpec &&moved, std::string_view localName, const CardExtras *extras,
                   const Frame &frame) {
    if (spec_.instances.size() >= kMaxInstances) {
      throw UserError(moved.loc, "the flattened circuit has too many elements");
    }
    InstanceSpec &instance = spec_.instances.emplace_back(std::move(moved));
    completeInstance(instance, spec_.instances.size() - 1, localName, extras, frame);
  }

  // Binds the model of spec_.instances[position], evaluates its card's
  // expressions in the frame's scope and indexes its name (checking it is new).
  void completeInstance(InstanceSpec &instance, std::size_t position, std::string_view localName,
                        const CardExtras *extras, const Frame &frame) {
    if (extras != nullptr && extras->model) {
      const Word &modelName = *extras->model;
      const ModelSpec *model = findModel(frame, modelName);
      const DeviceDescriptor *device = DeviceRegistry::instance().find(instance.letter, model->type);
      if (device == nullptr) {
        throw UserError(modelName.loc,
                        fmt::format("model '{}' has type '{}', which a {} element cannot use", modelName.text,
                                    model->type, static_cast<char>(instance.letter - 'a' + 'A')));
      }
      if (device->terminals >= 0 && static_cast<std::size_t>(device->terminals) != instance.nodes.size()) {
        throw UserError(instance.loc,
                        fmt::format("element '{}' with a '{}' model needs {} nodes, got {}",
                                    localName.empty() ? std::string_view(instance.name) : localName,
                                    model->type, device->terminals, instance.nodes.size()));
      }
      instance.model = model;
    }
    for (const DeferredValue &deferred : extras != nullptr ? extras->expressions : kNoExpressions) {
      CardArg &arg = instance.args[deferred.argument];
      const double value = evaluateValue(deferred.value, *frame.scope);
      if (deferred.item == DeferredValue::kWholeArgument) {
        arg.value = value;
      } else {
        arg.values[deferred.item] = value;
      }
    }
    if (const auto first = index_.add(position)) {
      throw UserError(instance.loc, fmt::format("duplicate element name '{}' (first at {})", instance.name,
                                                spec_.instances[*first].loc.str()));
    }
  }

  void expandInstance(const InstanceSpec &card, const CardExtras &extras, const Frame &caller) {
    const SubcircuitDef *def = findSubcircuit(caller, *extras.model);
    std::size_t depth = 0;
    for (const Frame *f = &caller; f != nullptr; f = f->caller, ++depth) {
      if (f->def == def) {
        throw UserError(card.loc,
                        fmt::format("recursive subcircuit: {}", recursionChain(caller, card.name, *def)));
      }
    }
    if (depth > kMaxDepth) {
      throw UserError(card.loc, "subcircuits nested too deeply");
    }
    if (card.nodes.size() != def->ports.size()) {
      throw UserError(card.loc,
                      fmt::format("subcircuit '{}' has {} port{} but instance '{}' connects {} node{}",
                                  def->name.text, def->ports.size(), def->ports.size() == 1 ? "" : "s",
                                  card.name, card.nodes.size(), card.nodes.size() == 1 ? "" : "s"));
    }
    Frame frame;
    frame.def = def;
    frame.caller = &caller;
    frame.instanceName = card.name;
    frame.path = caller.def == nullptr ? card.name : caller.path + "." + card.name;
    for (std::size_t k = 0; k < def->ports.size(); ++k) {
      const auto [it, inserted] = frame.ports.emplace(def->ports[k].text, node(caller, card.nodes[k]));
      if (!inserted) {
        throw UserError(def->ports[k].loc, fmt::format("port '{}' is listed twice", def->ports[k].text));
      }
    }
    ParamScope scope(caller.scope);
    frame.scope = &scope;
    // Overrides are evaluated where the instance is written; defaults in the
    // subcircuit's own scope, in order, so later defaults may use earlier ones.
    std::unordered_map<std::string, std::size_t> overrides; // name -> index into args
    const ArgList &args = card.args;
    for (std::size_t k = 0; k < args.size(); ++k) {
      const CardArg &arg = args[k];
      const bool declared = std::any_of(def->defaults.begin(), def->defaults.end(),
                                        [&](const ParamAssign &p) { return p.name.text == arg.name; });
      if (!declared) {
        throw UserError(arg.loc,
                        fmt::format("subcircuit '{}' has no parameter '{}'", def->name.text, arg.name));
      }
      if (!overrides.emplace(arg.name, k).second) {
        throw UserError(arg.loc, fmt::format("parameter '{}' given twice", arg.name));
      }
    }
    for (const ParamAssign &param : def->defaults) {
      const auto it = overrides.find(param.name.text);
      const double value = it != overrides.end() ? argumentValue(card, extras, it->second, *caller.scope)
                                                 : evaluateValue(param.value, scope);
      scope.set(param.name.text, value);
    }
    evaluateParams(def->body.params, scope);
    expandBody(def->body, frame);
  }

  // Value of argument `index` of a card (a Value or Assign) in `scope`.
  static double argumentValue(const InstanceSpec &card, const CardExtras &extras, std::size_t index,
                              const ParamScope &scope) {
    for (const DeferredValue &deferred : extras.expressions) {
      if (deferred.argument == index && deferred.item == DeferredValue::kWholeArgument) {
        return evaluateValue(deferred.value, scope);
      }
    }
    return card.args[index].value;
  }

  static std::string recursionChain(const Frame &caller, const std::string &cardName,
                                    const SubcircuitDef &def) {
    std::vector<const Frame *> frames;
    for (const Frame *f = &caller; f != nullptr && f->def != nullptr; f = f->caller) {
      frames.push_back(f);
    }
    std::string chain;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      chain += fmt::format("{} ({}) -> ", (*it)->instanceName, (*it)->def->name.text);
    }
    chain += fmt::format("{} ({})", cardName, def.name.text);
    return chain;
  }

  Deck &deck_;
  CircuitSpec &spec_;
  InstanceNames &index_;
  std::unordered_set<std::string> globals_;
  std::unordered_map<const SubcircuitDef *, std::unordered_map<std::string, const SubcircuitDef *>>
      subcircuitsIn_;
  std::unordered_map<const SubcircuitDef *, std::size_t> sizes_;
};

} // namespace

void evaluateParams(const std::vector<ParamAssign> &params, ParamScope &scope) {
  for (const ParamAssign &param : params) {
    scope.set(param.name.text, evaluateValue(param.value, scope));
  }
}

void flattenDeck(Deck &deck, const ParamScope &topScope, CircuitSpec &spec, InstanceNames &instanceIndex) {
  Flattener flattener(deck, spec, instanceIndex);
  flattener.run(topScope);
}

} // namespace dwspice
