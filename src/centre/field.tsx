// The centre's smaller pieces: one preference's form field, the return-to input, the why list.
import type { FC } from 'hono/jsx'
import type { CentreProps, PreferenceField } from './page'

/** The hidden field that brings a form back to the page it was sent from. */
export const ReturnTo: FC<{ to: string }> = ({ to }) => (
  <input type="hidden" name="return_to" value={to} />
)

/** One preference's field, with its label, its value and its error. */
export const Field: FC<{ field: PreferenceField }> = ({ field }) => {
  const { name, spec, value, error } = field
  const id = `pref-${name}`
  const errorId = `${id}-error`
  const described = error ? errorId : undefined
  const Error = () =>
    error ? (
      <p class="error" id={errorId}>
        {error}
      </p>
    ) : null
  // A select of the field's values, first "unset" (the choice and boolean fields).
  const Select = (props: { current: string; unset: string; options: [string, string][] }) => (
    <div class="field-group">
      <label class="field" for={id}>
        {spec.label}
      </label>
      <Error />
      <select
        id={id}
        name={name}
        aria-describedby={described}
        aria-invalid={error ? 'true' : undefined}
      >
        <option value="" selected={props.current === ''}>
          {props.unset}
        </option>
        {props.options.map(([option, label]) => (
          <option value={option} selected={props.current === option}>
            {label}
          </option>
        ))}
      </select>
    </div>
  )
  switch (spec.type) {
    case 'set': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : [])
      const options = Object.entries(spec.options)
      const max = spec.max ?? options.length
      return (
        <fieldset class="field-group" aria-describedby={described}>
          <legend>{spec.label}</legend>
          <span class="hint">
            {max < options.length ? `Choose up to ${max}.` : 'Choose any that apply.'}
          </span>
          <Error />
          {options.map(([option, label]) => (
            <div class="check">
              <input
                type="checkbox"
                id={`${id}-${option}`}
                name={name}
                value={option}
                checked={chosen.has(option)}
              />
              <label for={`${id}-${option}`}>{label}</label>
            </div>
          ))}
        </fieldset>
      )
    }
    case 'choice':
      return (
        <Select
          current={typeof value === 'string' ? value : ''}
          unset={name === 'language' ? 'Automatic (from your browser)' : 'Not set'}
          options={Object.entries(spec.options)}
        />
      )
    case 'text': {
      const hintId = `${id}-hint`
      return (
        <div class="field-group">
          <label class="field" for={id}>
            {spec.label}
          </label>
          <span class="hint" id={hintId}>
            Optional. Up to {spec.maxLength} characters.
          </span>
          <Error />
          <input
            type="text"
            id={id}
            name={name}
            value={typeof value === 'string' ? value : ''}
            maxlength={spec.maxLength}
            dir="auto"
            autocomplete="off"
            aria-describedby={described ? `${hintId} ${described}` : hintId}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
      )
    }
    case 'boolean':
      return (
        <Select
          current={value === true ? 'true' : value === false ? 'false' : ''}
          unset="Not set"
          options={[
            ['true', 'Yes'],
            ['false', 'No'],
          ]}
        />
      )
  }
}

type WhyProps = { why: NonNullable<CentreProps['why']> }

/** Personalised blocks one per line with their reason; the others together on one line. */
export const WhyList: FC<WhyProps> = ({ why }) => {
  if (why.paused) {
    return <p>Personalisation is paused, so every block shows the page’s own content.</p>
  }
  const shown = why.rows.filter((r) => r.personalised)
  const usual = why.rows.filter((r) => !r.personalised)
  if (!why.rows.length) {
    return <p>Nothing on this page is personalised.</p>
  }
  return (
    <>
      {shown.length ? (
        <ul class="why">
          {shown.map((row) => (
            <li>
              <span class="block">{row.block}</span>: {row.shown}
              {row.reason.startsWith('because') ? ', ' : ' ('}
              <span class="reason">{row.reason}</span>
              {row.reason.startsWith('because') ? '.' : ').'}
            </li>
          ))}
        </ul>
      ) : (
        <p>No block on this page is personalised for you right now.</p>
      )}
      {usual.length ? (
        <p>
          {usual.length === 1 ? 'This block shows' : 'These blocks show'} the page’s own content,
          because no rule matched you: {usual.map((r) => r.block).join(', ')}.
        </p>
      ) : null}
    </>
  )
}
