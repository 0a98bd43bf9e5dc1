from django.core.management.base import BaseCommand

from dangjian.appeals import classifier
from dangjian.appeals.selectors import category_names


class Command(BaseCommand):
    help = ("Print the category classifier's held-out accuracy per category (train on 80 % of the examples, "
            "test on the other 20 %); --train also stores a new training (as the schedule does).")

    def add_arguments(self, parser):
        parser.add_argument("--train", action="store_true", help="train on shipped + confirmed examples and store it")
        parser.add_argument("--shipped", action="store_true", help="only the shipped examples (no database)")
        parser.add_argument("--seed", type=int, default=20260101)

    def handle(self, *args, **options):
        if options["shipped"]:
            report, names = classifier.held_out_report(classifier.load_examples(), seed=options["seed"]), {}
            self.stdout.write("shipped examples only")
        elif options["train"]:
            from dangjian.appeals.training import classifier_train

            run = classifier_train()
            report, names = run.report, category_names()
            self.stdout.write(f"trained: {run.shipped} shipped, {run.confirmed} confirmed by staff")
        else:
            from dangjian.appeals.training import examples

            data, shipped, confirmed = examples()
            report, names = classifier.held_out_report(data, seed=options["seed"]), category_names()
            self.stdout.write(f"{shipped} shipped, {confirmed} confirmed by staff")
        self.stdout.write(f"{'category':<12} {'name':<8} {'held out':>8} {'correct':>8} {'accuracy':>8}")
        for code, r in sorted(report["per_category"].items()):
            self.stdout.write(f"{code:<12} {names.get(code, ''):<8} {r['n']:>8} {r['correct']:>8} {r['accuracy']:>8.3f}")
        self.stdout.write(f"overall: {report['accuracy']:.3f} on {report['test']} held-out texts "
                          f"(trained on {report['train']}); majority baseline {report['baseline']:.3f}")
        if "near_duplicates" in report:
            self.stdout.write(f"near duplicates (bigram similarity >= {report['near_duplicate_threshold']}) kept on "
                              f"one side of the split: {report['near_duplicates']} texts; goal {classifier.GOAL}")
