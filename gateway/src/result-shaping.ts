import { createRequire } from 'node:module';
import type {
  CompositeType,
  FieldSelection,
  NamedType,
  Operation,
  OutputType,
  Schema,
  Selection,
  SelectionSet,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

// The very modules Apollo Gateway runs on (its own copies, so that `instanceof` and the
// schema's type objects agree), read once: every `federation_internals_1.x` in the gateway's
// compiled code goes through a re-export getter, a measurable share of the shaping's CPU.
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const fi = gatewayRequire('@apollo/federation-internals') as typeof import('@apollo/federation-internals');
const { ERRORS, isCompositeType, isListType, isNonNullType, isObjectType, isSubtype, isValidLeafValue } = fi;
const assert: (condition: unknown, message: string | (() => string)) => asserts condition = fi.assert;
const { Variable } = fi;
type Variable = InstanceType<typeof Variable>;
const TYPENAME = fi.typenameFieldName;

type Data = Record<string, unknown>;
type Path = (string | number)[];

/** Apollo Gateway's `computeResponse` contract (`@apollo/gateway/dist/resultShaping`). */
export interface ComputeResponseArgs {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Data | null | undefined;
  introspectionHandling: (introspectionSelection: FieldSelection) => unknown;
}
export type ComputeResponse = (args: ComputeResponseArgs) => {
  data: Data | null | undefined;
  errors: GraphQLError[];
};

interface FieldStep {
  field: true;
  selection: FieldSelection;
  skip: boolean | undefined;
  responseName: string;
  introspection: boolean;
  typename: boolean;
  type: OutputType;
  selectionSet: SelectionSet | undefined;
}
interface FragmentStep {
  field: false;
  selection: Selection;
  skip: boolean | undefined;
  typeCondition: CompositeType | undefined;
  selectionSet: SelectionSet;
  /** Whether the type condition applies, by the object's `__typename` ('' when it has none). */
  applies: Map<string, boolean>;
}
type Step = FieldStep | FragmentStep;

/**
 * The answer's objects: without a prototype like Apollo's (`Object.create(null)`: a response
 * name such as `constructor` or `__proto__` is an own property like any other), but made by a
 * constructor, so that V8 keeps them in fast mode (`Object.create(null)` makes dictionary-mode
 * objects): filling them and serialising the answer take about half the time.
 */
const AnswerObject = function AnswerObject() {} as unknown as new () => Data;
AnswerObject.prototype = Object.create(null) as object;

const OK = 0;
const NULL_BUBBLE_UP = 1;

/**
 * One request's result shaping: Apollo Gateway's `computeResponse` (the last step of executing a
 * query plan, which copies the merged subgraph data into the operation's shape, checking nulls,
 * leaf values and `__typename`s), with the same outcome — the same data, the same errors with the
 * same messages and paths, the same assertions — but with what depends only on the operation
 * (each selection's response name, type, `@skip`/`@include`, introspection, its sub-selections)
 * worked out once per selection instead of once per object of the answer. On a 100-deal page
 * with 300 tranches this was a third of the gateway's CPU.
 */
class Shaper {
  readonly errors: GraphQLError[] = [];
  private readonly steps = new Map<SelectionSet, Step[]>();
  private invalid = false;
  private hasErrors = false;

  constructor(
    private readonly schema: Schema,
    private readonly variables: Record<string, unknown>,
    private readonly introspectionHandling: (selection: FieldSelection) => unknown,
  ) {}

  private stepsOf(selectionSet: SelectionSet): Step[] {
    let steps = this.steps.get(selectionSet);
    if (!steps) {
      steps = selectionSet.selections().map((selection): Step => {
        if (selection.kind === 'FieldSelection') {
          const field = selection.element;
          return {
            field: true,
            selection,
            skip: undefined,
            responseName: field.responseName(),
            introspection: field.definition.isSchemaIntrospectionField(),
            typename: field.name === TYPENAME,
            type: field.definition.type!,
            selectionSet: selection.selectionSet,
          };
        }
        return {
          field: false,
          selection,
          skip: undefined,
          typeCondition: selection.element.typeCondition,
          selectionSet: selection.selectionSet,
          applies: new Map(),
        };
      });
      this.steps.set(selectionSet, steps);
    }
    return steps;
  }

  private shouldSkip(step: Step): boolean {
    if (step.skip === undefined) {
      const element = step.selection.element;
      const skip = element.appliedDirectivesOf(this.schema.skipDirective())[0];
      const include = element.appliedDirectivesOf(this.schema.includeDirective())[0];
      step.skip = !!((skip && this.ifValue(skip)) || (include && !this.ifValue(include)));
    }
    return step.skip;
  }

  private ifValue(directive: { arguments(): { if: boolean | Variable } }): boolean {
    const ifArg = directive.arguments().if;
    if (ifArg instanceof Variable) {
      const value = this.variables[ifArg.name];
      assert(
        value !== undefined && typeof value === 'boolean',
        () => `Unexpected value ${String(value)} for variable ${String(ifArg)} of ${String(directive)}`,
      );
      return value as boolean;
    }
    return ifArg as boolean;
  }

  private typeConditionApplies(step: FragmentStep, typename: string | undefined, parentType: CompositeType) {
    const typeCondition = step.typeCondition;
    if (!typeCondition) return true;
    if (typename) {
      let applies = step.applies.get(typename);
      if (applies === undefined) {
        const type = this.schema.type(typename);
        applies = !!type && isSubtype(typeCondition, type);
        step.applies.set(typename, applies);
      }
      return applies;
    }
    return isSubtype(typeCondition, parentType);
  }

  applySelectionSet(
    input: Data,
    selectionSet: SelectionSet,
    output: Data,
    path: Path,
    parentType: CompositeType,
  ): number {
    for (const step of this.stepsOf(selectionSet)) {
      if (this.shouldSkip(step)) continue;
      if (step.field) {
        const responseName = step.responseName;
        const outputValue = output[responseName];
        if (step.introspection) {
          if (outputValue === undefined) output[responseName] = this.introspectionHandling(step.selection);
          continue;
        }
        let inputValue = Object.prototype.hasOwnProperty.call(input, responseName)
          ? (input[responseName] ?? null)
          : null;
        if (step.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== TYPENAME) {
              inputValue = input[TYPENAME] ?? null;
            }
            const type =
              inputValue !== null && typeof inputValue === 'string'
                ? (this.schema.type(inputValue) ?? parentType)
                : parentType;
            if (!isObjectType(type)) return NULL_BUBBLE_UP;
            output[responseName] = type.name;
          }
          continue;
        }
        path.push(responseName);
        const updated = this.updateOutputValue(
          outputValue,
          step.type,
          inputValue,
          step.selectionSet,
          path,
          parentType,
        );
        output[responseName] = updated;
        path.pop();
        if (this.invalid) return NULL_BUBBLE_UP;
      } else {
        const typename = input[TYPENAME];
        assert(
          !typename || typeof typename === 'string',
          () => `Got unexpected value for __typename: ${String(typename)}`,
        );
        if (this.typeConditionApplies(step, typename as string | undefined, parentType)) {
          const res = this.applySelectionSet(
            input,
            step.selectionSet,
            output,
            path,
            step.typeCondition ?? parentType,
          );
          if (res === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
        }
      }
    }
    return OK;
  }

  /**
   * Apollo's `updateOutputValue`: returns the updated value, and leaves its `isInvalid` and
   * `hasErrors` in {@link invalid} and {@link hasErrors} (read right after the call).
   */
  private updateOutputValue(
    outputValue: unknown,
    type: OutputType,
    inputValue: unknown,
    selectionSet: SelectionSet | undefined,
    path: Path,
    parentType: CompositeType,
  ): unknown {
    assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
    this.invalid = false;
    this.hasErrors = false;
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    if (isNonNullType(type)) {
      const updated = this.updateOutputValue(
        outputValue,
        type.ofType,
        inputValue,
        selectionSet,
        path,
        parentType,
      );
      if (updated === null) {
        if (!this.hasErrors) {
          this.errors.push(
            ERRORS.INVALID_GRAPHQL.err(
              `Cannot return null for non-nullable ${describeLast(path, type.ofType, parentType)}.`,
              { path: Array.from(path) },
            ),
          );
        }
        this.invalid = true;
        this.hasErrors = true;
        return updated;
      }
      this.invalid = false;
      this.hasErrors = false;
      return updated;
    }
    if (inputValue === null) return null;
    if (isListType(type)) {
      assert(
        Array.isArray(inputValue),
        () =>
          `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${String(type)}`,
      );
      assert(
        outputValue === undefined || Array.isArray(outputValue),
        () =>
          `Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${String(type)}`,
      );
      const inputList = inputValue as unknown[];
      const outputList = outputValue as unknown[] | undefined;
      const length = inputList.length;
      assert(
        outputList === undefined || length === outputList.length,
        () =>
          `[${String(inputValue)}].length (${length}) !== [${String(outputList)}].length (${outputList!.length})`,
      );
      let shouldNullify = false;
      let hasErrors = false;
      const updated = new Array<unknown>(length);
      for (let idx = 0; idx < length; idx += 1) {
        path.push(idx);
        updated[idx] = this.updateOutputValue(
          outputList === undefined ? undefined : outputList[idx],
          type.ofType,
          inputList[idx],
          selectionSet,
          path,
          parentType,
        );
        path.pop();
        shouldNullify ||= this.invalid;
        hasErrors ||= this.hasErrors;
      }
      this.invalid = false;
      this.hasErrors = hasErrors;
      return shouldNullify ? null : updated;
    }
    if (isCompositeType(type)) {
      assert(selectionSet, () => `Invalid empty selection set for composite type ${String(type)}`);
      assert(
        typeof inputValue === 'object',
        () =>
          `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
      );
      assert(
        outputValue === undefined || typeof outputValue === 'object',
        () =>
          `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
      );
      const input = inputValue as Data;
      const inputTypename = input[TYPENAME];
      assert(
        inputTypename === undefined || typeof inputTypename === 'string',
        () => `Invalid non-string value ${String(inputTypename)} for __typename at ${String(path)}`,
      );
      let objType: CompositeType = type;
      if (inputTypename) {
        const typenameType = this.schema.type(inputTypename as string) as NamedType | undefined;
        if (!typenameType || !isCompositeType(typenameType)) {
          this.errors.push(
            ERRORS.INVALID_GRAPHQL.err(
              `Invalid __typename found for object at ${describeLast(path, type, parentType)}.`,
              { path: Array.from(path) },
            ),
          );
          this.invalid = false;
          this.hasErrors = true;
          return null;
        }
        objType = typenameType;
      }
      const output = outputValue === undefined ? new AnswerObject() : (outputValue as Data);
      const res = this.applySelectionSet(input, selectionSet, output, path, objType);
      this.invalid = false;
      this.hasErrors = res === NULL_BUBBLE_UP;
      return this.hasErrors ? null : output;
    }
    assert(
      outputValue === undefined,
      () => `Excepted output to be undefined but got ${String(type)} for type ${String(type)}`,
    );
    const valid = isValidLeafValue(this.schema, inputValue, type);
    if (!valid) {
      this.errors.push(
        ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(path, type, parentType)}.`, {
          path: Array.from(path),
        }),
      );
    }
    this.invalid = false;
    this.hasErrors = !valid;
    return valid ? inputValue : null;
  }
}

function describeLast(path: Path, currentType: OutputType, parentType: CompositeType): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string'
    ? `field ${String(parentType)}.${element}`
    : `array element of type ${String(currentType)} at index ${element}`;
}

/** Shapes one request's merged subgraph data into its operation's answer (see {@link Shaper}). */
export const computeResponse: ComputeResponse = ({ operation, variables, input, introspectionHandling }) => {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const shaper = new Shaper(
    schema,
    { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables } as Record<
      string,
      unknown
    >,
    introspectionHandling,
  );
  const data = new AnswerObject();
  const res = shaper.applySelectionSet(
    input,
    operation.selectionSet,
    data,
    [],
    schema.schemaDefinition.rootType(operation.rootKind)!,
  );
  return { data: res === NULL_BUBBLE_UP ? null : data, errors: shaper.errors };
};

/** Where Apollo's own `computeResponse` is kept on its module once ours replaces it. */
const APOLLO_COMPUTE_RESPONSE = Symbol.for('@tranche/gateway:apolloComputeResponse');
const resultShaping = gatewayRequire('./resultShaping.js') as {
  computeResponse: ComputeResponse;
  [APOLLO_COMPUTE_RESPONSE]?: ComputeResponse;
};
resultShaping[APOLLO_COMPUTE_RESPONSE] ??= resultShaping.computeResponse;
/** Apollo Gateway's own `computeResponse` (even after {@link useCompiledResultShaping}), for tests. */
export const apolloComputeResponse: ComputeResponse = resultShaping[APOLLO_COMPUTE_RESPONSE];

/**
 * Has Apollo Gateway's query-plan execution shape its results with {@link computeResponse}
 * (its `executeQueryPlan` reads `computeResponse` from its `resultShaping` module at each call).
 * For the pinned @apollo/gateway version; `result-shaping.test.ts` checks both give the same.
 */
export function useCompiledResultShaping(): void {
  resultShaping.computeResponse = computeResponse;
}
