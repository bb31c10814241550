/**
 * Grammars for constrained decoding, so a rating always ends in a line we can read: the parse
 * rate becomes 100 % by construction instead of by luck (one reproduction found 45 % of its
 * ratings unparsable). Written in the subset both web-llm's XGrammar EBNF and llama.cpp's GBNF
 * accept: `::=`, quoted literals, character classes with `^` and `\n`, `( )`, `?`, `*`, `+`, `|`.
 *
 * Reasoned mode: free reasoning lines, none of which starts with "Score:", then a final line
 * `Score: N` with N in 1..5, then nothing (the grammar is complete, so the engine must stop).
 * Fast mode: one digit 1..5 — a single token in every tokenizer we know, so max_tokens = 1.
 */

/**
 * A reasoning line must not start with "Score:" — otherwise the model could write a score line
 * and carry on. Each branch spells one more letter of "Score:" and then any other character.
 */
export const REASONED_GRAMMAR = [
  'root ::= (line "\\n" | "\\n")+ "Score: " [1-5]',
  'line ::= [^S\\n] rest | "S" ([^c\\n] rest)? | "Sc" ([^o\\n] rest)? | "Sco" ([^r\\n] rest)? | "Scor" ([^e\\n] rest)? | "Score" ([^:\\n] rest)?',
  'rest ::= [^\\n]*',
].join('\n');

export const FAST_GRAMMAR = 'root ::= [1-5]';

/**
 * The same language as REASONED_GRAMMAR, as a regular expression: used to check replies from
 * engines that claim to have applied the grammar, and in tests.
 */
export const REASONED_REPLY = /^(?:(?!Score:)[^\n]+\n|\n)+Score: [1-5]$/;
export const FAST_REPLY = /^[1-5]$/;
