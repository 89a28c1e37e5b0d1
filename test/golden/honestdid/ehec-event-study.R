# The event study of HonestDiD's README (Medicaid expansion, ACS data, non-staggered subsample): the
# coefficients and clustered covariance that test/honestdid/readme-example.test.ts feeds to the sensitivity
# analysis, whose expected bounds are the ones the README prints.
#   Rscript ehec-event-study.R [path or URL of ehec_data.csv]  (R 4.2, fixest 0.12.2)
library(fixest)
src <- commandArgs(trailingOnly = TRUE)
if (length(src) == 0) src <- "https://raw.githubusercontent.com/Mixtape-Sessions/Advanced-DID/main/Exercises/Data/ehec_data.csv"
df <- read.csv(src[1])
df <- df[df$year < 2016 & (is.na(df$yexp2) | df$yexp2 != 2015), ]
df$D <- as.numeric(!is.na(df$yexp2) & df$yexp2 == 2014)
m <- feols(dins ~ i(year, D, ref = 2013) | stfips + year, cluster = ~stfips, data = df)
out <- list(
  source = "HonestDiD README example: feols(dins ~ i(year, D, ref = 2013) | stfips + year, cluster = ~stfips) on ehec_data (years < 2016, 2015 cohort dropped)",
  terms = names(coef(m)), betahat = unname(coef(m)), sigma = unname(vcov(m)), num_pre = 5L, num_post = 2L
)
writeLines(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "ehec-event-study.json")
