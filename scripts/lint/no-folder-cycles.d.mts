// Types of the rule module's helpers, for its test.
import type { Rule } from 'eslint';
export function folderOf(root: string, file: string): string | null;
export function folderGraph(root: string): Map<string, Set<string>>;
export function findPath(graph: Map<string, Set<string>>, start: string, goal: string): string[] | null;
declare const rule: Rule.RuleModule;
export default rule;
