// How an API that does not try matches in list order ranks them, as data: an order of
// criteria, compared one after the other (the first that differs decides). Targets name the
// order their API (or an implementation of it) uses; the check then asks whether a later
// candidate's match can outrank an earlier one's for a request both hold.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/routemap.h"

namespace meshc {

enum class RankCriterion {
  kExactPath,     // an Exact path match above any other path condition
  kPrefixLength,  // the longer path prefix (no path condition counts as the prefix "/")
  kPathLength,    // the longer path match whatever its type: an Exact or prefix value's length
                  // without a trailing '/' ("/" and no path count 1), a RegularExpression the
                  // request path's length
  kMethod,        // a method match above none
  kHeaders,       // more header matches (the cookie conditions of a match count as one)
  kQueryParams,   // more query parameter matches
  kGrpcService,   // more characters in the gRPC service match
  kGrpcMethod,    // more characters in the gRPC method match
};

// True when some request that satisfies both matches may rank `later` above `earlier` under
// `order` (a criterion that cannot tell, such as a RegularExpression path under kPrefixLength,
// counts as may). `why` then says by which criterion, in words.
bool may_outrank(const RequestMatch& later, const RequestMatch& earlier,
                 const std::vector<RankCriterion>& order, std::string* why);

}  // namespace meshc
