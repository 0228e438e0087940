import type { Expr, Node } from "./ast.ts";

/** The direct children of a node, in source order. */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case "File":
      return node.body;
    case "AttributeStmt":
      return [node.name, node.value];
    case "BlockStmt":
      return node.body;
    case "IdentifierExpr":
      return [node.ident];
    case "ArrayExpr":
      return node.elements;
    case "ObjectExpr":
      return node.fields;
    case "ObjectField":
      return [node.name, node.value];
    case "AccessExpr":
      return [node.value, node.name];
    case "IndexExpr":
      return [node.value, node.index];
    case "CallExpr":
      return [node.value, ...node.args];
    case "UnaryExpr":
      return [node.value];
    case "BinaryExpr":
      return [node.left, node.right];
    case "ParenExpr":
      return [node.inner];
    case "LiteralExpr":
    case "Ident":
    case "Comment":
      return [];
  }
}

/**
 * Depth-first pre-order walk. Return `false` from `visit` to skip a node's children. Iterative, so that deeply nested
 * input cannot overflow the stack.
 */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (visit(node) === false) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Node);
  }
}

export function isExpr(node: Node): node is Expr {
  return node.kind.endsWith("Expr");
}
