// Parsers for the individual card kinds (internal to the parse layer).
#pragma once

#include "core/device_registry.hpp"
#include "parse/card_reader.hpp"

#include <optional>

namespace dwspice {

// Appends the element card to `body` (its instance, and its extras if it has
// any). `syntax` is the registry's split for the letter; std::nullopt for X cards.
void parseElementCard(const CardReader &card, const std::optional<ElementSyntax> &syntax, Body &body);

void parseParamCard(const CardReader &card, std::vector<ParamAssign> &out);
// `.func name(a, b) = expr`; the body may call the functions already in the
// card reader's table (so functions cannot recurse).
std::shared_ptr<const UserFunction> parseFuncCard(const CardReader &card);
ModelCard parseModelCard(const CardReader &card);
// `.subckt name ports… [params:] a=1 …` (body and parent are filled by the caller).
std::unique_ptr<SubcircuitDef> parseSubcircuitHeader(const CardReader &card);
void parseNodeValues(const CardReader &card, std::vector<NodeValueSyntax> &out);
AnalysisCard parseAnalysisCard(const CardReader &card, AnalysisCard::Kind kind);
void parseOptionsCard(const CardReader &card, std::vector<OptionSyntax> &out);
// `.print`/`.save`; returns false if the card asks for an analysis dwspice
// does not run (the caller warns and skips it).
bool parseOutputCard(const CardReader &card, bool isPrint, OutputCard &out);
// Batch directives: `.dataset`, `.bind`, `.readout` (syntax only).
DatasetCard parseDatasetCard(const CardReader &card);
BindCard parseBindCard(const CardReader &card);
ReadoutCard parseReadoutCard(const CardReader &card);

} // namespace dwspice
