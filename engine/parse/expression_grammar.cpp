// Boost.Spirit X3 grammar of parameter expressions (the language is described
// in expression.hpp). One rule per precedence level, lowest first:
//
//   ternary        or ('?' ternary ':' ternary)?          right-associative
//   or / and / equality / relational / additive / multiplicative:
//                  next-level (op next-level)*            left-associative
//   unary          ('-' | '!') unary | '+' unary | power
//   power          primary (('**' | '^') unary)?          right-associative,
//                                                         `-2^2` is -(2^2)
//   primary        number | name | name '(' args ')' | '(' ternary ')'
//
// Semantic actions build the ExprNode tree through ExpressionBuilder, which
// also maps iterator offsets to source locations. Everything after an
// operator is an expectation point: a missing operand is an error at its
// column instead of a silent backtrack.
#include "parse/expression_grammar_builder.hpp"
#include "parse/spice_number.hpp"

#include <boost/fusion/include/at_c.hpp>
#include <boost/spirit/home/x3.hpp>
#include <fmt/core.h>

namespace dwspice {

namespace {

namespace x3 = boost::spirit::x3;

// Context key under which the grammar finds the ExpressionBuilder.
struct BuilderTag;

template <typename Context> ExpressionBuilder &builderOf(const Context &context) {
  return x3::get<BuilderTag>(context);
}

bool isIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Names of the expectation points; error messages are built from them. An
// expect[] subject must be a rule (or literal): X3 names anything else, such
// as a parser with a semantic action, by its C++ type.
constexpr const char *kCloseParen = "')'";
constexpr const char *kCloseArguments = "',' or ')'";

// --- primitives and directives -------------------------------------------

// A SPICE number literal, read by the X3-based scanner of spice_number.hpp so
// that values and suffixes are the same everywhere in a netlist.
struct SpiceNumberParser : x3::parser<SpiceNumberParser> {
  using attribute_type = double;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator &first, const Iterator &last, const Context &context, RContext &,
             Attribute &value) const {
    x3::skip_over(first, last, context);
    const NumberScan scan =
        scanNumber(std::string_view(first, static_cast<std::size_t>(last - first)), false);
    if (scan.status == NumberScan::Status::NotANumber) {
      return false;
    }
    if (scan.status == NumberScan::Status::Malformed) {
      builderOf(context).fail(first + scan.errorAt, scan.reason);
    }
    const Iterator end = first + scan.length;
    // `1..2`, `1k5`: the number runs into something that cannot follow it.
    if (end != last && (*end == '.' || isIdentChar(*end))) {
      builderOf(context).fail(end, "malformed number");
    }
    x3::traits::move_to(scan.value, value);
    first = end;
    return true;
  }
};
const SpiceNumberParser spiceNumber{};

// Zero-width: where the next token starts (after blanks), for node columns.
struct TokenStartParser : x3::parser<TokenStartParser> {
  using attribute_type = const char *;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator &first, const Iterator &last, const Context &context, RContext &, Attribute &at) const {
    x3::skip_over(first, last, context);
    x3::traits::move_to(first, at);
    return true;
  }
};
const TokenStartParser tokenStart{};

// `nested[p]`: p is a recursive rule; bounds the recursion depth.
template <typename Subject> struct NestingGuard : x3::unary_parser<Subject, NestingGuard<Subject>> {
  using base_type = x3::unary_parser<Subject, NestingGuard<Subject>>;
  static const bool is_pass_through_unary = true;

  constexpr explicit NestingGuard(const Subject &guarded) : base_type(guarded) {}

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator &first, const Iterator &last, const Context &context, RContext &rcontext,
             Attribute &attribute) const {
    const ExpressionBuilder::NestingScope scope(builderOf(context), first);
    return this->subject.parse(first, last, context, rcontext, attribute);
  }
};

struct NestingGuardGen {
  template <typename Subject> constexpr auto operator[](const Subject &subject) const {
    return NestingGuard<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(subject));
  }
};
constexpr NestingGuardGen nested{};

// Only blanks separate tokens; anything else (a newline, a stray byte) is an error.
const auto blank = x3::char_(" \t");

const auto identifier = x3::raw[x3::lexeme[x3::char_("a-zA-Z_") >> *x3::char_("a-zA-Z0-9_")]];

const x3::symbols<ExprOp> orOperator({{"||", ExprOp::LogicalOr}});
const x3::symbols<ExprOp> andOperator({{"&&", ExprOp::LogicalAnd}});
const x3::symbols<ExprOp> equalityOperator({{"==", ExprOp::Equal}, {"!=", ExprOp::NotEqual}});
const x3::symbols<ExprOp> relationalOperator(
    {{"<", ExprOp::Less}, {"<=", ExprOp::LessEqual}, {">", ExprOp::Greater}, {">=", ExprOp::GreaterEqual}});
const x3::symbols<ExprOp> additiveOperator({{"+", ExprOp::Add}, {"-", ExprOp::Subtract}});
const x3::symbols<ExprOp> multiplicativeOperator({{"*", ExprOp::Multiply}, {"/", ExprOp::Divide}});
const x3::symbols<ExprOp> powerOperator({{"**", ExprOp::Power}, {"^", ExprOp::Power}});

// --- semantic actions -----------------------------------------------------
//
// Nodes take their column from `tokenStart` sequenced before the token: the
// attribute of `tokenStart >> token` is (position, token value).

const auto take = [](auto &context) { x3::_val(context) = std::move(x3::_attr(context)); };

const auto appendOperand = [](auto &context) {
  x3::_val(context)->operands.push_back(std::move(x3::_attr(context)));
};

// `tree op …`: the tree so far becomes the first operand of the operator.
template <typename Context> void extendLeft(Context &context, ExprOp op, const char *at) {
  ExprNodePtr &tree = x3::_val(context);
  ExprNodePtr extended = builderOf(context).node(op, at);
  extended->operands.push_back(std::move(tree));
  tree = std::move(extended);
}

const auto openBinary = [](auto &context) {
  const auto &token = x3::_attr(context);
  extendLeft(context, boost::fusion::at_c<1>(token), boost::fusion::at_c<0>(token));
};
const auto openConditional = [](auto &context) {
  extendLeft(context, ExprOp::Conditional, x3::_attr(context));
};

template <ExprOp Op> struct OpenPrefix {
  template <typename Context> void operator()(Context &context) const {
    x3::_val(context) = builderOf(context).node(Op, x3::_attr(context));
  }
};

const auto makeNumber = [](auto &context) {
  const auto &token = x3::_attr(context);
  x3::_val(context) = builderOf(context).number(boost::fusion::at_c<1>(token), boost::fusion::at_c<0>(token));
};

const auto makeParameter = [](auto &context) {
  const auto &range = x3::_attr(context);
  x3::_val(context) = builderOf(context).parameter(
      std::string_view(range.begin(), static_cast<std::size_t>(range.end() - range.begin())), range.begin());
};

const auto resolveCall = [](auto &context) { builderOf(context).resolveCall(*x3::_val(context)); };

const auto attachArguments = [](auto &context) {
  builderOf(context).attachArguments(*x3::_val(context), std::move(x3::_attr(context)));
};

const auto appendArgument = [](auto &context) { x3::_val(context).push_back(std::move(x3::_attr(context))); };

// --- rules ----------------------------------------------------------------

// A closing bracket missing at the very end means its '(' is never closed:
// point at that '(', where the user has to look, not at the end of the text.
struct UnclosedParenthesisHandler {
  template <typename Iterator, typename Exception, typename Context>
  x3::error_handler_result on_error(Iterator &first, const Iterator &last, const Exception &failure,
                                    const Context &context) const {
    const ExpressionBuilder &builder = builderOf(context);
    const bool closing = failure.which() == kCloseParen || failure.which() == kCloseArguments;
    if (closing && builder.skipBlanks(failure.where()) == last) {
      builder.fail(builder.skipBlanks(first), "unbalanced parentheses: '(' is never closed");
    }
    return x3::error_handler_result::rethrow;
  }
};
struct ParenthesisedTag : UnclosedParenthesisHandler {};
struct CallArgumentsTag : UnclosedParenthesisHandler {};

const x3::rule<class TernaryTag, ExprNodePtr> ternary = "an expression";
const x3::rule<class LogicalOrTag, ExprNodePtr> logicalOr = "an operand";
const x3::rule<class LogicalAndTag, ExprNodePtr> logicalAnd = "an operand";
const x3::rule<class EqualityTag, ExprNodePtr> equality = "an operand";
const x3::rule<class RelationalTag, ExprNodePtr> relational = "an operand";
const x3::rule<class AdditiveTag, ExprNodePtr> additive = "an operand";
const x3::rule<class MultiplicativeTag, ExprNodePtr> multiplicative = "an operand";
const x3::rule<class UnaryTag, ExprNodePtr> unary = "an operand";
const x3::rule<class PowerTag, ExprNodePtr> power = "an operand";
const x3::rule<class PrimaryTag, ExprNodePtr> primary = "an operand";
const x3::rule<ParenthesisedTag, ExprNodePtr> parenthesised = "a parenthesised expression";
const x3::rule<class NameOrCallTag, ExprNodePtr> nameOrCall = "a name";
const x3::rule<CallArgumentsTag, std::vector<ExprNodePtr>> callArguments = "function arguments";
const x3::rule<class ColonTag> colon = "':' of the conditional '?'";
const x3::rule<class CloseParenTag> closeParen = kCloseParen;
const x3::rule<class CloseArgumentsTag> closeArguments = kCloseArguments;

const auto ternary_def =
    nested[logicalOr[take] >> -((tokenStart >> '?')[openConditional] >> x3::expect[ternary][appendOperand] >
                                colon > x3::expect[ternary][appendOperand])];

const auto logicalOr_def = logicalAnd[take] >>
                           *((tokenStart >> orOperator)[openBinary] >> x3::expect[logicalAnd][appendOperand]);
const auto logicalAnd_def = equality[take] >>
                            *((tokenStart >> andOperator)[openBinary] >> x3::expect[equality][appendOperand]);
const auto equality_def = relational[take] >> *((tokenStart >> equalityOperator)[openBinary] >>
                                                x3::expect[relational][appendOperand]);
const auto relational_def = additive[take] >> *((tokenStart >> relationalOperator)[openBinary] >>
                                                x3::expect[additive][appendOperand]);
const auto additive_def = multiplicative[take] >> *((tokenStart >> additiveOperator)[openBinary] >>
                                                    x3::expect[multiplicative][appendOperand]);
// A `*` here is never the start of `**`: power, one level down, takes those.
const auto multiplicative_def = unary[take] >> *((tokenStart >> multiplicativeOperator)[openBinary] >>
                                                 x3::expect[unary][appendOperand]);

// `!=` after an operand is the comparison; `!` here must not start one.
const auto unary_def =
    nested[((tokenStart >> '-')[OpenPrefix<ExprOp::Negate>{}] >> x3::expect[unary][appendOperand]) |
           ((tokenStart >> x3::lexeme['!' >> !x3::lit('=')])[OpenPrefix<ExprOp::LogicalNot>{}] >>
            x3::expect[unary][appendOperand]) |
           (x3::lit('+') >> x3::expect[unary][take]) | power[take]];

// The exponent is a unary: right-associative, and `2^-1` is allowed.
const auto power_def = primary[take] >>
                       -((tokenStart >> powerOperator)[openBinary] >> x3::expect[unary][appendOperand]);

const auto primary_def = (tokenStart >> spiceNumber)[makeNumber] | nameOrCall[take] | parenthesised[take];

const auto parenthesised_def = x3::lit('(') >> x3::expect[ternary][take] > closeParen;

const auto nameOrCall_def = identifier[makeParameter] >>
                            -((&x3::lit('('))[resolveCall] >> callArguments[attachArguments]);

// Entered after the '(' of a call has been seen (but not consumed).
const auto callArguments_def = x3::lit('(') >>
                               (x3::lit(')') |
                                (x3::expect[ternary][appendArgument] >>
                                 *(x3::lit(',') >> x3::expect[ternary][appendArgument]) > closeArguments));

const auto colon_def = x3::lit(':');
const auto closeParen_def = x3::lit(')');
const auto closeArguments_def = x3::lit(')');

BOOST_SPIRIT_DEFINE(ternary, logicalOr, logicalAnd, equality, relational, additive, multiplicative, unary,
                    power, primary, parenthesised, nameOrCall, callArguments, colon, closeParen,
                    closeArguments)

// `c` for a message: quoted if printable, else its byte value (a lone byte of
// a UTF-8 sequence or a control character would garble the message).
std::string quoted(char c) {
  if (c >= ' ' && c <= '~') {
    return fmt::format("'{}'", c);
  }
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

// Text that cannot start an expression (`what` is empty) or is left over after one.
[[noreturn]] void failUnexpected(const ExpressionBuilder &builder, const char *at, std::string_view what) {
  if (*at == ')') {
    builder.fail(at, "unbalanced parentheses: ')' has no matching '('");
  }
  builder.fail(at, what.empty() ? fmt::format("unexpected {} in expression", quoted(*at))
                                : fmt::format("expected {}, found {}", what, quoted(*at)));
}

} // namespace

ExprPtr parseExpression(std::string_view text, const LocMapper &locOf, const FunctionTable *functions) {
  ExpressionBuilder builder(text, locOf, functions);
  const char *first = builder.begin();
  const char *const last = builder.end();
  if (builder.skipBlanks(first) == last) {
    builder.fail(last, "empty expression");
  }
  ExprNodePtr root;
  try {
    if (!x3::phrase_parse(first, last, x3::with<BuilderTag>(builder)[ternary], blank, root)) {
      failUnexpected(builder, builder.skipBlanks(first), ternary.name);
    }
  } catch (const x3::expectation_failure<const char *> &failure) {
    const char *at = builder.skipBlanks(failure.where());
    if (at == last) {
      builder.fail(at, fmt::format("expected {} at the end of the expression", failure.which()));
    }
    builder.fail(at, fmt::format("expected {}, found {}", failure.which(), quoted(*at)));
  }
  if (first != last) {
    failUnexpected(builder, first, {});
  }
  return root;
}

} // namespace dwspice
