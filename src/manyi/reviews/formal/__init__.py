"""The committee's formal review (形式审查): the checklist, the one deficiency notice
(一次性告知) and its completion, acceptance for evaluation and rejection, with the opinion
printed in the 审核意见 box of the application's PDF."""
