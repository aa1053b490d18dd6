// The syntax tree of a netlist: cards split into their parts, every part with
// its source location, values either plain numbers or parsed expressions.
// Nothing here is evaluated or flattened; that is elaboration's job.
#pragma once

#include "core/circuit_spec.hpp"
#include "parse/expression.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dwspice {

// One lower-case word of the input (a name, node, keyword).
struct Word {
  std::string text;
  SourceLoc loc;
};

// A value as written: a plain number (expr == nullptr) or an expression.
struct ValueSyntax {
  double number = 0.0;
  ExprPtr expr;
  SourceLoc loc;
};

// An item of an element card after its nodes, references and model
// (mirrors CardArg, before evaluation).
struct ArgSyntax {
  CardArg::Kind kind = CardArg::Kind::Value;
  std::string name;               // Word text, Group name, Assign key
  ValueSyntax value;              // Value, Assign
  std::vector<ValueSyntax> items; // Group
  SourceLoc loc;
};

// An expression-valued item of an element card: evaluated when the card is
// flattened, in the scope of the instance it is flattened in.
struct DeferredValue {
  static constexpr std::size_t kWholeArgument = static_cast<std::size_t>(-1);
  std::size_t argument = 0;          // index into the card's args
  std::size_t item = kWholeArgument; // Group argument: index into its values
  ValueSyntax value;                 // always an expression
};

// What flattening must still resolve on an element card besides its
// instance: the model name (for X cards the subcircuit name) and the values
// written as expressions (their slots in the instance hold 0 until then).
// Most cards of a big netlist have neither, so these are kept apart from the
// instances, for the cards that need them only.
struct CardExtras {
  std::size_t card = 0; // index into the body's elements
  std::optional<Word> model;
  std::vector<DeferredValue> expressions;
};

struct ParamAssign {
  Word name;
  ValueSyntax value;
};

struct ModelCard {
  Word name;
  Word type;
  std::vector<ParamAssign> params;
  SourceLoc loc;
};

// `.ic v(n)=value` / `.nodeset v(n)=value`
struct NodeValueSyntax {
  Word node;
  ValueSyntax value;
};

struct SubcircuitDef;

// The contents of the top level or of one subcircuit definition.
struct Body {
  std::vector<ParamAssign> params; // in order; later ones may use earlier ones
  std::vector<ModelCard> models;
  std::vector<std::unique_ptr<SubcircuitDef>> subcircuits;
  // Element cards `<name> <nodes…> <references…> [model] <args…>`, parsed
  // straight into the shape of a flat instance (local names, plain numbers in
  // place; model still null), so that flattening a top-level card moves it
  // into the circuit instead of copying it. For X cards args are the
  // parameter overrides.
  std::vector<InstanceSpec> elements;
  std::vector<CardExtras> extras; // ascending `card`
  std::vector<NodeValueSyntax> initialConditions;
  std::vector<NodeValueSyntax> nodesets;
};

struct SubcircuitDef {
  Word name;
  std::vector<Word> ports;
  std::vector<ParamAssign> defaults; // `params: a=1 b=2` (or without `params:`)
  Body body;
  const SubcircuitDef *parent = nullptr; // lexically enclosing definition (null: top level)
  SourceLoc loc;
};

struct AnalysisCard {
  enum class Kind { Op, Dc, Tran };
  Kind kind = Kind::Op;
  std::vector<ArgSyntax> args; // Word or Value items in order
  SourceLoc loc;
};

struct OptionSyntax {
  Word name;
  std::optional<ValueSyntax> value; // numeric value, if any
  std::string word;                 // non-numeric value (`method=gear`)
};

// `.print tran v(1) i(v1)` / `.save all`; outputs already normalised.
struct OutputCard {
  std::string analysis;
  std::vector<Word> outputs;
  SourceLoc loc;
};

// `.dataset mnist [test]`
struct DatasetCard {
  Word name;
  std::optional<Word> split;
  SourceLoc loc;
};

// `.bind pixel 12 vp12 vn12`
struct BindCard {
  Word kind; // "pixel"
  ValueSyntax index;
  std::vector<Word> sources;
  SourceLoc loc;
};

// `.readout argmax i(v1) i(v2) at=5n`; outputs normalised as on .print.
struct ReadoutCard {
  Word mode; // "argmax"
  std::vector<Word> vectors;
  std::optional<ValueSyntax> at;
  SourceLoc loc;
};

struct Deck {
  std::string title;
  bool titleSet = false; // by a `.title` card
  Body top;
  std::vector<Word> globals;
  std::vector<AnalysisCard> analyses;
  std::vector<OptionSyntax> options;     // every `.options` item, in order
  std::vector<ValueSyntax> temperatures; // `.temp`
  std::vector<OutputCard> prints;
  std::vector<OutputCard> saves;
  std::vector<DatasetCard> datasets; // batch directives, checked in elaboration
  std::vector<BindCard> binds;
  std::vector<ReadoutCard> readouts;
  std::vector<std::shared_ptr<const SourceFile>> files; // top first
  SourceLoc endLoc;                                     // last card, for "no elements"
};

} // namespace dwspice
