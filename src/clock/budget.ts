/**
 * Work spread over several tasks: jobs run in order until `budgetMs` of one
 * task is spent, then the queue yields to the browser (rendering, input) and
 * goes on in a new task. Used so that hundreds of players appearing at once
 * start in batches instead of one long task.
 */
export class BudgetedQueue<T> {
  private readonly items = new Set<T>();
  private scheduled = false;

  constructor(
    private readonly run: (item: T) => void,
    readonly budgetMs = 8,
  ) {}

  push(item: T): void {
    this.items.add(item);
    this.schedule();
  }

  delete(item: T): void {
    this.items.delete(item);
  }

  has(item: T): boolean {
    return this.items.has(item);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A macrotask, not a microtask: the browser gets to render and handle input in between.
    setTimeout(() => this.drain(), 0);
  }

  private drain(): void {
    this.scheduled = false;
    const deadline = performance.now() + this.budgetMs;
    for (const item of this.items) {
      this.items.delete(item);
      this.run(item);
      if (performance.now() >= deadline) break;
    }
    if (this.items.size > 0) this.schedule();
  }
}

/** The page-wide queue that players' first renders go through. */
let firstRenders: BudgetedQueue<() => void> | null = null;

export function queueFirstRender(job: () => void): void {
  firstRenders ??= new BudgetedQueue((run) => run());
  firstRenders.push(job);
}
