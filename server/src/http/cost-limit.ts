import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/**
 * The cost of an operation: how many values its answer may hold. A scalar field counts 1, an object
 * 1 plus its fields. A field taking a page size (`first`, `limit`) multiplies what is under it by the
 * size asked for: a literal as written, a variable as the most it may be (MAX_PAGE), and an absent
 * one as the field's default. Any other list counts UNBOUNDED_LIST items, so lists nested in pages
 * grow the cost as they grow the work.
 *
 * With the default GRAPHQL_MAX_COST of 20,000: a page of 500 logs with every scalar field of a log
 * costs about 16,000 and passes; the same page with the fields of every log's feedback does not.
 */
export const MAX_PAGE = 500;
const PAGE_ARGUMENTS = ['first', 'limit'];
const UNBOUNDED_LIST = 10;
const MAX_FRAGMENT_DEPTH = 20;

export function costLimitRule(maxCost: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const cost = selectionCost(context, operation.selectionSet, root, 0);
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(
            `The operation costs ${Math.ceil(cost)}, more than the limit of ${maxCost} (GRAPHQL_MAX_COST): ask for fewer items or fewer fields`,
            { nodes: [operation] },
          ),
        );
      }
    },
  });
}

/** `paged`: this selection is the answer of a paged field, whose lists (edges, nodes) are the page itself. */
function selectionCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType,
  depth: number,
  paged = false,
): number {
  if (depth > MAX_FRAGMENT_DEPTH) return 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) cost += fieldCost(context, selection, parent, depth, paged);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      cost += selectionCost(
        context,
        selection.selectionSet,
        typeOf(context, selection.typeCondition?.name.value) ?? parent,
        depth + 1,
        paged,
      );
    else {
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(selection.name.value);
      if (fragment)
        cost += selectionCost(
          context,
          fragment.selectionSet,
          typeOf(context, fragment.typeCondition.name.value) ?? parent,
          depth + 1,
          paged,
        );
    }
  }
  return cost;
}

function fieldCost(context: ValidationContext, node: FieldNode, parent: GraphQLObjectType, depth: number, inPage: boolean): number {
  if (node.name.value.startsWith('__')) return 0;
  const field = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
  if (!field) return 1;
  const named = getNamedType(field.type);
  if (!node.selectionSet || !isCompositeType(named)) return 1;
  const page = pageSize(field, node);
  const children =
    1 + selectionCost(context, node.selectionSet, ('getFields' in named ? named : parent) as GraphQLObjectType, depth + 1, page !== null);
  if (page !== null) return page * children;
  return isListType(getNullableType(field.type)) && !inPage ? UNBOUNDED_LIST * children : children;
}

/** The page size a field is asked for, or null when it takes none. */
function pageSize(field: GraphQLField<unknown, unknown>, node: FieldNode): number | null {
  const definition = field.args.find((arg) => PAGE_ARGUMENTS.includes(arg.name));
  if (!definition) return null;
  const value: ValueNode | undefined = node.arguments?.find((arg) => arg.name.value === definition.name)?.value;
  if (!value) return typeof definition.defaultValue === 'number' ? definition.defaultValue : 50;
  if (value.kind === Kind.INT) return Math.min(Math.max(Number(value.value), 1), MAX_PAGE * 2);
  return MAX_PAGE;
}

function typeOf(context: ValidationContext, name: string | undefined): GraphQLObjectType | undefined {
  return name ? (context.getSchema().getType(name) as GraphQLObjectType | undefined) : undefined;
}
