import type {
  ComponentChildren,
  InputHTMLAttributes,
  PartialInputHTMLAttributes,
  PartialSelectHTMLAttributes,
  TextareaHTMLAttributes,
} from "preact";

// The one markup of a form field: `<label class="field"><span>Label</span>control…</label>`.
// Screens never write it by hand (nor read `currentTarget` themselves): they use
// TextField, TextArea and SelectField, which hand back the value as a string.

export interface FieldFrame {
  label: ComponentChildren;
  /** The label is for screen readers only (the control's placeholder says it). */
  hiddenLabel?: boolean;
  /** A hint under the control; an `error`, when there is one, shows instead. */
  hint?: ComponentChildren;
  error?: string | null | false;
  /** Anything else under the control (a counter, chips), after the hint or error. */
  after?: ComponentChildren;
  /**
   * A field holding more than one control (an input and its "Add" button) is a group
   * (`<div>`), not a `<label>`; its input then needs its own `aria-label`.
   */
  group?: boolean;
  /** Inline style of the field (a field that takes the rest of a row). */
  fieldStyle?: string;
}

export function Field({
  label,
  hiddenLabel,
  hint,
  error,
  after,
  group,
  fieldStyle,
  children,
}: FieldFrame & { children: ComponentChildren }) {
  const inner = (
    <>
      <span class={hiddenLabel ? "sr-only" : undefined}>{label}</span>
      {children}
      {error ? <small class="field__error">{error}</small> : hint ? <small class="field__hint">{hint}</small> : null}
      {after}
    </>
  );
  return group ? (
    <div class="field" style={fieldStyle}>
      {inner}
    </div>
  ) : (
    <label class="field" style={fieldStyle}>
      {inner}
    </label>
  );
}

type FrameKeys = keyof FieldFrame | "value" | "onInput" | "onChange" | "children" | "role";

/** The text inputs a field holds (no role of their own: the label names them). */
type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, FrameKeys | "type"> & {
  type?: "text" | "search" | "password" | "datetime-local";
};

// Preact types <input> as a union keyed by `type` (which roles each type allows); a text
// input without a role is every member's case, which TypeScript cannot see by itself.
const inputAttributes = (props: InputProps) => props as InputHTMLAttributes<HTMLInputElement>;

function frameOf(props: FieldFrame): FieldFrame {
  const { label, hiddenLabel, hint, error, after, group, fieldStyle } = props;
  return { label, hiddenLabel, hint, error, after, group, fieldStyle };
}

export type TextFieldProps = FieldFrame &
  InputProps & {
    value: string;
    onValue: (value: string) => void;
    /** Shown before the input (`@` before a username). */
    prefix?: string;
    /** A button beside the input, in the same row (an "Invite" or "Add"). */
    action?: ComponentChildren;
  };

/** A labelled `<input>`. */
export function TextField(props: TextFieldProps) {
  const { label, hiddenLabel, hint, error, after, group, fieldStyle, value, onValue, prefix, action, ...input } = props;
  let control = <input {...inputAttributes(input)} value={value} onInput={(e) => onValue(e.currentTarget.value)} />;
  if (prefix) {
    control = (
      <div class="input-prefix">
        <span aria-hidden="true">{prefix}</span>
        {control}
      </div>
    );
  }
  if (action) {
    control = (
      <div class="input-row">
        {control}
        {action}
      </div>
    );
  }
  return <Field {...frameOf({ label, hiddenLabel, hint, error, after, group, fieldStyle })}>{control}</Field>;
}

export type TextAreaProps = FieldFrame &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, FrameKeys> & {
    value: string;
    onValue: (value: string) => void;
  };

/** A labelled `<textarea>`. */
export function TextArea(props: TextAreaProps) {
  const { label, hiddenLabel, hint, error, after, group, fieldStyle, value, onValue, ...area } = props;
  return (
    <Field {...frameOf({ label, hiddenLabel, hint, error, after, group, fieldStyle })}>
      <textarea {...area} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
    </Field>
  );
}

export type SelectFieldProps<T extends string> = FieldFrame &
  Omit<PartialSelectHTMLAttributes<HTMLSelectElement>, FrameKeys | "size"> & {
    value: T;
    /** The chosen option's value: one of the `<option>`s given as children. */
    onValue: (value: T) => void;
    children: ComponentChildren;
  };

/** A labelled `<select>`; its options are the children. */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { label, hiddenLabel, hint, error, after, group, fieldStyle, value, onValue, children, ...select } = props;
  return (
    <Field {...frameOf({ label, hiddenLabel, hint, error, after, group, fieldStyle })}>
      <select {...select} value={value} onChange={(e) => onValue(e.currentTarget.value as T)}>
        {children}
      </select>
    </Field>
  );
}

/** A form's error line (`role="alert"`), or nothing. */
export function FormError({ error, testid, code }: { error: string | null | false | undefined; testid?: string; code?: string }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert" data-testid={testid} data-code={code}>
      {error}
    </p>
  );
}

/** An address to copy (an invitation link, a calendar feed): read-only, selected on focus. */
export function ReadOnlyInput({ value, ...props }: Omit<InputProps, "readOnly" | "onFocus"> & { value: string }) {
  return <input {...inputAttributes(props)} value={value} readOnly onFocus={(e) => e.currentTarget.select()} />;
}
